/**
 * GC reports and doctor diagnoses for files the page uploads. The GC engine and the detectors read
 * files as Node streams, so the server keeps an upload in a private temporary directory, runs the
 * same code as `flink-memory gc` / `doctor`, returns their JSON, and deletes the directory.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adviseFromGc } from '../gc/advice.js';
import { analyzeGcLogs } from '../gc/analyze.js';
import { GcInputError } from '../gc/read.js';
import { runDoctor } from '../diagnose/doctor.js';
import { InputPathError } from '../diagnose/sniff.js';
import type { FlatConfig } from '../memory/configuration.js';
import { parseMemorySize } from '../memory/memory-size.js';
import { DEFAULT_FLINK_VERSION, resolveFlinkVersion, type FlinkVersionBehaviour } from '../memory/versions.js';
import { renderDoctorJson } from '../report/doctor.js';
import { gcJson } from '../report/gc-json.js';
import { stringifyJson } from '../report/json.js';
import { bodyToFile, formatLimit, limitedWebBody } from './body.js';
import { HttpError } from './http-error.js';

/** One GC log per request, streamed to disk and then through the streaming parser (gzip is fine). */
export const MAX_GC_UPLOAD = 1024 * 1024 * 1024;
/** Everything of one doctor request together; logs are read whole by the multipart parser. */
export const MAX_DOCTOR_UPLOAD = 256 * 1024 * 1024;
export const MAX_DOCTOR_FILES = 50;

/** A name that is safe as the last part of a path and still tells the user which file it was. */
export function safeFileName(name: string | null | undefined, fallback: string): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '').slice(0, 100);
  return cleaned.length === 0 ? fallback : cleaned;
}

function versionFrom(params: URLSearchParams): FlinkVersionBehaviour {
  const text = params.get('version');
  if (text === null || text === '') return DEFAULT_FLINK_VERSION;
  try {
    return resolveFlinkVersion(text);
  } catch (e) {
    throw new HttpError(400, (e as Error).message);
  }
}

/** The calculator's configuration as the GC advice's baseline: a JSON object of strings. */
function baselineFrom(params: URLSearchParams): FlatConfig | undefined {
  const text = params.get('config');
  if (text === null || text === '') return undefined;
  if (text.length > 16 * 1024) throw new HttpError(400, 'the config parameter is too long');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'the config parameter is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpError(400, 'the config parameter must be a JSON object of strings');
  const config: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new HttpError(400, `config: the value of ${key} must be a string`);
    config[key] = v;
  }
  return config;
}

async function inTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'flink-memory-serve-'));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** POST /api/gc?name=gc.log[&version=1.20][&config={...}] with the raw log as the body. */
export async function gcReport(req: IncomingMessage, params: URLSearchParams): Promise<string> {
  const version = versionFrom(params);
  const baseline = baselineFrom(params);
  const name = safeFileName(params.get('name'), 'gc.log');
  return inTempDir(async (dir) => {
    const path = join(dir, name);
    const size = await bodyToFile(req, path, MAX_GC_UPLOAD, `the GC log ${name}`);
    if (size === 0) throw new HttpError(400, `${name} is empty`);
    try {
      const summary = await analyzeGcLogs([{ kind: 'file', path }]);
      const json = gcJson(summary, adviseFromGc(summary, baseline, version));
      // The temporary path means nothing to the user: report the name they chose.
      return stringifyJson({ ...json, inputs: summary.inputs.map((i) => ({ ...i, name })) });
    } catch (e) {
      if (e instanceof GcInputError) throw new HttpError(400, e.message.split(dir).join(''));
      throw e;
    }
  });
}

/** POST /api/doctor[?version=..&container=4g] with multipart/form-data, any number of `file` fields. */
export async function doctorReport(req: IncomingMessage, params: URLSearchParams): Promise<string> {
  const version = versionFrom(params);
  const containerText = params.get('container');
  let containerLimit: bigint | undefined;
  if (containerText !== null && containerText !== '') {
    try {
      containerLimit = parseMemorySize(containerText);
    } catch {
      throw new HttpError(400, `container '${containerText.slice(0, 40)}' is not a memory size (e.g. 4g, 4096m)`);
    }
  }
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.startsWith('multipart/form-data')) throw new HttpError(415, 'send the files as multipart/form-data');
  let form: FormData;
  try {
    const request = new Request('http://local/upload', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: limitedWebBody(req, MAX_DOCTOR_UPLOAD, 'the upload'),
      duplex: 'half',
    } as RequestInit & { duplex: 'half' });
    form = await request.formData();
  } catch (e) {
    if (e instanceof HttpError) throw e;
    const cause = (e as { cause?: unknown }).cause;
    if (cause instanceof HttpError) throw cause;
    throw new HttpError(400, `the upload is not valid multipart/form-data (at most ${formatLimit(MAX_DOCTOR_UPLOAD)})`);
  }
  const files = form.getAll('file').filter((f): f is File => typeof f !== 'string');
  if (files.length === 0) throw new HttpError(400, 'no files were uploaded (field name: file)');
  if (files.length > MAX_DOCTOR_FILES) throw new HttpError(413, `at most ${MAX_DOCTOR_FILES} files at once`);
  return inTempDir(async (dir) => {
    const used = new Set<string>();
    for (const [i, file] of files.entries()) {
      let name = safeFileName(file.name, `input-${i + 1}.log`);
      while (used.has(name)) name = `${i + 1}-${name}`;
      used.add(name);
      await writeFile(join(dir, name), new Uint8Array(await file.arrayBuffer()), { mode: 0o600 });
    }
    try {
      const diagnosis = await runDoctor([dir], { version, ...(containerLimit !== undefined ? { containerLimit } : {}) });
      // Paths in the answer are the uploaded names, not the server's temporary directory.
      return renderDoctorJson(diagnosis).split(`${dir}/`).join('');
    } catch (e) {
      if (e instanceof InputPathError || e instanceof GcInputError) throw new HttpError(400, e.message.split(`${dir}/`).join(''));
      throw e;
    }
  });
}
