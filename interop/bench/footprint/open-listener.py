"""The BGP peer of interop/bench/footprint.sh: listens on ADDRESS:179, accepts one connection and writes to OUT
the wall-clock time (seconds since the epoch, microseconds, as bash's EPOCHREALTIME) at which the first complete
OPEN arrived. It never answers, so no session comes up; it holds the connection until the speaker closes it.
READY is created once the socket listens."""
import socket
import sys
import time

HEADER = 19
OPEN = 1


def main(address: str, out: str, ready: str) -> int:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((address, 179))
    listener.listen(1)
    open(ready, "w").close()
    connection, _ = listener.accept()
    received = b""
    while True:
        chunk = connection.recv(4096)
        if not chunk:
            return 1
        received += chunk
        while len(received) >= HEADER:
            length = int.from_bytes(received[16:18], "big")
            if length < HEADER or len(received) < length:
                break
            if received[18] == OPEN:
                arrived = time.time()
                with open(out, "w") as f:
                    f.write(f"{arrived:.6f}\n")
                while connection.recv(4096):
                    pass
                return 0
            received = received[length:]


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
