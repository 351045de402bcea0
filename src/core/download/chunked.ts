// Incremental decoder for `Transfer-Encoding: chunked` bodies, able to stop and resume anywhere.

export interface ChunkStep {
  /** Where decoding stopped in the buffer. */
  pos: number
  /** A range of body bytes found before `pos`. */
  data?: [number, number]
  done?: boolean
}

const MAX_LINE = 4096

export class ChunkedDecoder {
  private state: 'size' | 'data' | 'data-crlf' | 'trailer' | 'done' = 'size'
  private line = ''
  private remaining = 0

  get done(): boolean {
    return this.state === 'done'
  }

  /** Decodes from `pos` up to at most one range of body bytes; throws on a malformed body. */
  step(buf: Uint8Array, pos: number, end: number): ChunkStep {
    while (pos < end) {
      switch (this.state) {
        case 'data': {
          const take = Math.min(this.remaining, end - pos)
          this.remaining -= take
          if (this.remaining === 0) this.state = 'data-crlf'
          return { pos: pos + take, data: [pos, pos + take] }
        }
        case 'size':
        case 'data-crlf':
        case 'trailer': {
          const lf = buf.indexOf(0x0a, pos)
          const stop = lf === -1 || lf >= end ? end : lf
          this.line += Buffer.from(buf.buffer, buf.byteOffset + pos, stop - pos).toString('latin1')
          if (this.line.length > MAX_LINE) throw new Error('chunk header line too long')
          if (stop === end) return { pos: end }
          pos = stop + 1
          const line = this.line.replace(/\r$/, '')
          this.line = ''
          if (this.state === 'data-crlf') {
            if (line !== '') throw new Error('missing CRLF after chunk data')
            this.state = 'size'
          } else if (this.state === 'size') {
            const hex = line.split(';')[0].trim()
            if (!/^[0-9a-fA-F]{1,15}$/.test(hex)) throw new Error('invalid chunk size')
            this.remaining = parseInt(hex, 16)
            this.state = this.remaining === 0 ? 'trailer' : 'data'
          } else if (line === '') {
            this.state = 'done'
            return { pos, done: true }
          }
          break
        }
        case 'done':
          return { pos: end, done: true }
      }
    }
    return { pos }
  }
}
