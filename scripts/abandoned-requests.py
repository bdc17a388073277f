#!/usr/bin/env python3
"""Asks for pages and goes away before they are whole, as a phone does that navigates on
or reloads halfway: each of N connections sends one request, waits 0-40 ms, closes, and
starts again. Prints how many requests were abandoned this way. The server must go on
answering afterwards, without panics in its log (scripts/bench-pages.sh counts them).

    scripts/abandoned-requests.py http://127.0.0.1:3202 /home [cookie] [seconds] [connections]
"""
import asyncio
import random
import sys
import time
from urllib.parse import urlsplit


async def one_client(host, port, request, until, counts):
    while time.monotonic() < until:
        try:
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(request)
            await writer.drain()
            await asyncio.sleep(random.uniform(0, 0.04))
            writer.transport.abort()
            counts[0] += 1
        except OSError:
            counts[1] += 1
            await asyncio.sleep(0.01)


async def main():
    base, path = sys.argv[1], sys.argv[2]
    cookie = sys.argv[3] if len(sys.argv) > 3 else ""
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 10
    connections = int(sys.argv[5]) if len(sys.argv) > 5 else 64
    url = urlsplit(base)
    headers = [
        f"GET {path} HTTP/1.1",
        f"Host: {url.netloc}",
        "Accept: text/html",
        "Accept-Encoding: br",
    ]
    if cookie:
        headers.append(f"Cookie: {cookie}")
    request = ("\r\n".join(headers) + "\r\n\r\n").encode()
    counts = [0, 0]
    until = time.monotonic() + seconds
    await asyncio.gather(
        *(
            one_client(url.hostname, url.port or 80, request, until, counts)
            for _ in range(connections)
        )
    )
    print(f"{counts[0]} requests abandoned, {counts[1]} connections refused")


asyncio.run(main())
