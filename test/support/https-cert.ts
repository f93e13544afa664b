// A self-signed certificate for 127.0.0.1, ::1 and localhost, made at test time with the openssl
// CLI (CI needs the `openssl` package). Fails loudly when openssl is missing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestCertificate {
  key: string;
  cert: string;
}

let cached: TestCertificate | undefined;

export function selfSignedCertificate(): TestCertificate {
  if (cached !== undefined) return cached;
  const dir = mkdtempSync(path.join(tmpdir(), 'oai-cert-'));
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    try {
      execFileSync('openssl', [
        'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '1',
        '-subj', '/CN=localhost',
        '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1',
        '-keyout', keyFile, '-out', certFile,
      ], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(code === 'ENOENT'
        ? 'https tests need the openssl CLI (apt-get install openssl)'
        : `openssl could not make a test certificate: ${String((error as { stderr?: Buffer }).stderr ?? error)}`);
    }
    cached = { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
    return cached;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
