import type { Server, Socket } from 'node:net'

/**
 * Caps the open connections one client address may hold, so a single host cannot take every
 * file descriptor with idle or trickling sockets (the timeouts bound how long each lives; this
 * bounds how many). A connection over the cap is closed before any byte is read. Behind a proxy
 * every connection comes from the proxy, so the caller turns the cap off there.
 */
export function capConnectionsPerAddress(server: Server, max: number): void {
  const open = new Map<string, number>()
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? ''
    const count = (open.get(address) ?? 0) + 1
    if (count > max) {
      socket.destroy()
      return
    }
    open.set(address, count)
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1
      if (left > 0) open.set(address, left)
      else open.delete(address)
    })
  })
}
