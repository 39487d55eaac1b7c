import { connect, type Socket } from 'node:net';

/** A raw HTTP/1.1 client on one socket: what it got back, and when the server closed the connection. */
export function rawClient(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  let received = '';
  const started = Date.now();
  const closed = new Promise<number>((resolve) => {
    socket.on('close', () => resolve(Date.now() - started));
  });
  socket.on('data', (d) => {
    received += d.toString();
  });
  socket.on('error', () => {}); // a reset is one of the outcomes under test
  return { socket, closed, received: () => received };
}
