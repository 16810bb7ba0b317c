// The lab's tests build network namespaces and start daemons: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
