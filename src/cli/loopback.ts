/** True for a loopback bind address (127.0.0.0/8, ::1, localhost): only this machine can connect. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}
