/** What a function's code costs to ship and to parse: bytes on disk and gzipped. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleSize {
  readonly files: number;
  readonly bytes: number;
  /** Each file gzipped at the default level, summed: close to what the Lambda zip stores. */
  readonly gzipBytes: number;
}

export function measureDirectory(directory: string): BundleSize {
  const files = readdirSync(directory, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  let bytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    const content = readFileSync(join(file.parentPath, file.name));
    bytes += content.length;
    gzipBytes += gzipSync(content).length;
  }
  return { files: files.length, bytes, gzipBytes };
}
