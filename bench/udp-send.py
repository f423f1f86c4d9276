#!/usr/bin/env python3
"""Sends line protocol over UDP at a fixed rate: RATE datagrams/s of POINTS lines each, for SECONDS.
Every line is a distinct point (timestamped), so what each backend stores can be counted exactly.
Prints the number of lines sent."""
import socket, sys, time

host, port = sys.argv[1], int(sys.argv[2])
rate, points, seconds = int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
total = int(rate * seconds)
base = time.time_ns() - 3600 * 10**9
datagrams = []
for d in range(total):
    t = base + d * points
    datagrams.append("".join(
        f"udpload,host=server{p % 20:02d} v={p}i,load=0.{p} {t + p}\n" for p in range(points)).encode())
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
tick = 0.01
per_tick = max(1, int(rate * tick))
start = time.monotonic()
sent = 0
while sent < total:
    for _ in range(min(per_tick, total - sent)):
        sock.sendto(datagrams[sent], (host, port))
        sent += 1
    delay = start + (sent / rate) - time.monotonic()
    if delay > 0:
        time.sleep(delay)
print(total * points)
