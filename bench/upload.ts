/**
 * bench/upload: uploads 50 MB and 200 MB scans through the local system (presigned PUT to S3,
 * then verification: the file is read back and hashed) and prints throughput and the peak
 * resident memory of the local system's Node process (gateway, handlers and the in-process
 * s3rver), sampled from /proc while each file goes through. The client is this other process.
 *   npm run bench:upload          SIZES_MB=50,200
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { givenDataFolder } from '../tests/support/spawn-system.ts';
import { apiClient } from '../tests/support/api.ts';

const SIZES = (process.env.SIZES_MB ?? '50,200').split(',').map(Number);
const MB = 1024 * 1024;

/** Resident memory of one process, from /proc. */
function rss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

const folder = givenDataFolder('bangong-upload-');
try {
  const system = await folder.start();
  const pid = system.child.pid!;
  const api = apiClient(system.urls.api);
  const c = await api.open('xu-liang', 'leave', '基准：上传', { leaveType: 'sick', startDate: '2026-11-23', endDate: '2026-11-24', days: 2, reason: '基准' });
  const baseline = rss(pid);
  console.log(`local system (Node) resident before: ${(baseline / MB).toFixed(0)} MB`);
  for (const size of SIZES) {
    const body = Buffer.alloc(size * MB, 0x20);
    body.write('%PDF-1.7\n');
    const sha256 = createHash('sha256').update(body).digest('hex');
    let peak = rss(pid);
    const sampler = setInterval(() => (peak = Math.max(peak, rss(pid))), 20);
    const started = performance.now();
    const asked = await api.post('xu-liang', `/api/cases/${c.id}/uploads`, { fileName: `scan-${size}MB.pdf`, contentType: 'application/pdf', size: body.length, sha256 });
    const put = await fetch(asked.body.url, { method: 'PUT', headers: asked.body.headers, body });
    if (put.status !== 200) throw new Error(`PUT answered ${put.status}`);
    const uploaded = performance.now();
    const done = await api.post('xu-liang', `/api/cases/${c.id}/uploads/${asked.body.uploadId}/complete`);
    if (done.status !== 200) throw new Error(`complete answered ${done.status}: ${JSON.stringify(done.body)}`);
    const verified = performance.now();
    clearInterval(sampler);
    console.log(
      `${String(size).padStart(4)} MB: upload ${((uploaded - started) / 1000).toFixed(2)} s, verify ${((verified - uploaded) / 1000).toFixed(2)} s, ` +
        `${(size / ((verified - started) / 1000)).toFixed(0)} MB/s end to end; local system peak resident ${(peak / MB).toFixed(0)} MB (+${((peak - baseline) / MB).toFixed(0)} MB)`,
    );
  }
} finally {
  await folder.cleanUp();
}
process.exit(0);
