#!/usr/bin/env python3
"""Relays TCP connections to the router, connecting from a chosen source address.

The router takes a device's address from its connection (docs/security.md), and in the e2e tests
the router is at 127.0.0.1, one of its own addresses, which no certificate names. curl and
device-enrol pick another loopback source themselves (--interface, --ipv4); lego and certbot
cannot, so they talk to this relay on 127.0.0.1, which opens each connection to the router from
--source. Bytes pass through untouched: TLS is still between the client and the router.

  source_relay.py --listen-port P --target-port R --source 127.0.0.40
Prints "ready" once it listens; runs until killed.
"""
import argparse
import asyncio


async def pipe(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
    except (ConnectionError, OSError):
        pass


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen-port", type=int, required=True)
    parser.add_argument("--target-port", type=int, required=True)
    parser.add_argument("--target", default="127.0.0.1")
    parser.add_argument("--source", required=True)
    args = parser.parse_args()

    async def relay(client_reader, client_writer):
        try:
            router_reader, router_writer = await asyncio.open_connection(
                args.target, args.target_port, local_addr=(args.source, 0))
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, router_writer),
                             pipe(router_reader, client_writer))
        for w in (router_writer, client_writer):
            w.close()

    server = await asyncio.start_server(relay, "127.0.0.1", args.listen_port)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
