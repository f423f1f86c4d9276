# An interactive `influx` session on a pseudo-terminal (the CLI reads a whole piped stdin as one
# query): influx-session.py PORT LINE... types each line as a user would and prints the screen.
import os, pty, sys, time, select
port = sys.argv[1]
pid, fd = pty.fork()
if pid == 0:
    os.execvp('influx', ['influx', '-host', '127.0.0.1', '-port', port, '-precision', 'rfc3339'])
out = b''
def drain(t):
    global out
    end = time.time() + t
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try: out += os.read(fd, 65536)
            except OSError: return
for line in sys.argv[2:]:
    drain(0.7)
    os.write(fd, (line + '\n').encode())
drain(1.5)
os.write(fd, b'exit\n'); drain(0.5)
sys.stdout.write(out.decode('utf-8', 'replace'))
