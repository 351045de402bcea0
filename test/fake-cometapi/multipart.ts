// A small multipart/form-data parser (RFC 7578) so the fake needs no dependency. Strict on
// purpose: a malformed body from the client should fail here rather than pass silently.

export interface FormFile {
  field: string
  fileName: string
  contentType: string
  data: Buffer
}

export interface FormData {
  fields: Map<string, string>
  files: FormFile[]
}

export function boundaryOf(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return null
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)
  return m ? (m[1] ?? m[2]) : null
}

function headerParam(header: string, name: string): string | null {
  const m = new RegExp(`;\\s*${name}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(header) ?? new RegExp(`;\\s*${name}=([^;\\s]+)`, 'i').exec(header)
  return m ? m[1].replace(/\\(.)/g, '$1') : null
}

/** Returns null when the body is not a well-formed multipart body for `boundary`. */
export function parseMultipart(body: Buffer, boundary: string): FormData | null {
  const delim = Buffer.from(`--${boundary}`)
  const fields = new Map<string, string>()
  const files: FormFile[] = []
  let pos = body.indexOf(delim)
  if (pos < 0) return null
  for (;;) {
    pos += delim.length
    if (body.subarray(pos, pos + 2).toString() === '--') return { fields, files }
    if (body.subarray(pos, pos + 2).toString() !== '\r\n') return null
    pos += 2
    const headerEnd = body.indexOf('\r\n\r\n', pos)
    if (headerEnd < 0) return null
    const headers = new Map<string, string>()
    for (const line of body.subarray(pos, headerEnd).toString('utf8').split('\r\n')) {
      const i = line.indexOf(':')
      if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim())
    }
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delim]), headerEnd + 4)
    if (next < 0) return null
    const data = body.subarray(headerEnd + 4, next)
    const disposition = headers.get('content-disposition') ?? ''
    const name = headerParam(disposition, 'name')
    if (!/^form-data/i.test(disposition) || name === null) return null
    const fileName = headerParam(disposition, 'filename')
    if (fileName !== null) {
      files.push({ field: name, fileName, contentType: headers.get('content-type') ?? 'application/octet-stream', data: Buffer.from(data) })
    } else {
      fields.set(name, data.toString('utf8'))
    }
    pos = next + 2
  }
}
