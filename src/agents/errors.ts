/**
 * The sentences a person sees when a request cannot be sent: what happened
 * and what to do next, one builder per SendError kind.
 */
import { SendError } from '../domain/prepared'

function hostOf(url: string): string {
  try {
    return new URL(url).host
  }
  catch {
    return url
  }
}

export const sendErrors = {
  invalidUrl: (url: string) => new SendError('invalid_url', url.trim() === ''
    ? 'Enter a URL to send the request to.'
    : `"${url}" is not a valid URL. It should start with http:// or https://, like https://example.com/path.`),
  unsupportedScheme: (url: string) => new SendError('invalid_url', `Pigeon sends http:// and https:// URLs only; "${url}" is not one. Check the start of the URL.`),
  dns: (url: string) => new SendError('dns', `Could not find host ${hostOf(url)}. Check the URL for typos, or check that the host exists on your network.`),
  refused: (url: string) => new SendError('refused', `${hostOf(url)} refused the connection. Check that the service is running and listening on that port.`),
  tls: (url: string) => new SendError('tls', `The secure connection to ${hostOf(url)} failed. Check that the URL's scheme (http or https) and port are right and that the certificate is valid.`),
  timeout: (url: string, timeoutMs: number) => new SendError('timeout', `${hostOf(url)} did not answer within ${timeoutMs} ms. Try again, or raise the request timeout in Settings.`),
  cors: (url: string) => new SendError('cors', `The browser blocked the request to ${hostOf(url)} or could not reach it. The server may not allow cross-origin requests (CORS), or it may be down. Switch to the Server agent in Settings to send it without CORS, and check that the URL is right.`),
  offline: () => new SendError('offline', 'You are offline, so the request could not be sent. Reconnect and send it again.'),
  aborted: () => new SendError('aborted', 'The request was cancelled.'),
  tooLarge: (maxBytes: number) => new SendError('too_large', `The response is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB, the most Pigeon will download. Ask for a smaller response (a page, a range or a filter).`),
  forbiddenTarget: (url: string) => new SendError('forbidden_target', `This Pigeon server does not send requests to ${hostOf(url)}: private and loopback addresses are off limits on a public server. Use the Browser agent for local targets.`),
  redirects: (maxRedirects: number) => new SendError('redirects', `Stopped after ${maxRedirects} redirects, the most allowed for this request. Check for a redirect loop, or raise the limit in Settings.`),
  missingFile: (fileName: string) => new SendError('unknown', `The file "${fileName}" is no longer on this device. Choose it again in the Body tab and send the request again.`),
  badHeader: (name: string) => new SendError('invalid_url', `The header "${name}" has a name or value the browser cannot send (names are one word, values have no line breaks). Fix it in the Headers tab.`),
  serverUnreachable: () => new SendError('unknown', 'Could not reach the Pigeon server to send this request. Check that it is running, or switch to the Browser agent in Settings.'),
  unknown: (detail: string) => new SendError('unknown', `The request could not be sent: ${detail}`),
}
