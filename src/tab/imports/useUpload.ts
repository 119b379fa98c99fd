import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImportKind, ImportView } from '../../contract/imports.js';
import { MAX_IMPORT_BYTES } from '../../contract/paths.js';
import type { ApiClient } from '../../platform/api-client.js';
import { ApiError } from '../../platform/api-client.js';
import { formatBytes } from './import-words.js';

export type UploadPhase =
  | { kind: 'idle' }
  | { kind: 'uploading'; fileName: string; loaded: number; total: number }
  /** Every byte is sent; the server reads and checks every row before it answers. */
  | { kind: 'checking'; fileName: string; total: number }
  /** The file cannot be imported as it is (422 IMPORT_FILE_REFUSED, too large, not a file type the route takes). */
  | { kind: 'refused'; fileName: string; error: ApiError }
  /** Something else went wrong (network, storage): the same file may be sent again. */
  | { kind: 'failed'; fileName: string; error: unknown };

const REFUSALS = new Set(['IMPORT_FILE_REFUSED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE']);

/** The name the API takes: no path, no control characters, at most 200 characters (the extension kept). */
export function uploadName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[/\\\u0000-\u001f]+/g, '_').trim() || 'usage-export.csv';
  if (clean.length <= 200) return clean;
  const ext = /\.[^.]{1,10}$/.exec(clean)?.[0] ?? '';
  return clean.slice(0, 200 - ext.length) + ext;
}

export interface UploadState {
  phase: UploadPhase;
  /** Sends a file: a usage export unless `kind` says opening balances (IT, at go-live). */
  start: (file: File, kind?: ImportKind) => void;
  /** Sends the last file again, after a failure that was not the file's fault. */
  retry: () => void;
  cancel: () => void;
  reset: () => void;
}

/** Sends a usage export with progress, then waits while the server checks it; hands over the import when it answers. */
export function useUpload(api: ApiClient, onUploaded: (view: ImportView) => void): UploadState {
  const [phase, setPhase] = useState<UploadPhase>({ kind: 'idle' });
  const controller = useRef<AbortController | undefined>(undefined);
  const lastFile = useRef<File | undefined>(undefined);
  const lastKind = useRef<ImportKind>('usage');
  const onUploadedRef = useRef(onUploaded);
  onUploadedRef.current = onUploaded;

  useEffect(() => () => controller.current?.abort(), []);

  const start = useCallback(
    (file: File, kind: ImportKind = 'usage') => {
      controller.current?.abort();
      lastFile.current = file;
      lastKind.current = kind;
      const fileName = uploadName(file.name);
      if (file.size > MAX_IMPORT_BYTES) {
        setPhase({
          kind: 'refused',
          fileName,
          error: new ApiError(413, 'PAYLOAD_TOO_LARGE', `The file is ${formatBytes(file.size)}; Credit Desk takes usage exports of up to ${formatBytes(MAX_IMPORT_BYTES)}.`),
        });
        return;
      }
      const current = new AbortController();
      controller.current = current;
      setPhase({ kind: 'uploading', fileName, loaded: 0, total: file.size });
      api
        .upload('uploadImport', {
          query: { fileName, ...(kind === 'opening_balances' ? { kind } : {}) },
          file,
          signal: current.signal,
          onProgress: ({ loaded, total }) => {
            if (!current.signal.aborted) setPhase((p) => (p.kind === 'uploading' ? { ...p, loaded, total } : p));
          },
          onSent: () => {
            if (!current.signal.aborted) setPhase({ kind: 'checking', fileName, total: file.size });
          },
        })
        .then(
          (view) => {
            if (current.signal.aborted) return;
            setPhase({ kind: 'idle' });
            onUploadedRef.current(view);
          },
          (error: unknown) => {
            if (current.signal.aborted) return;
            if (error instanceof ApiError && REFUSALS.has(error.code)) setPhase({ kind: 'refused', fileName, error });
            else setPhase({ kind: 'failed', fileName, error });
          },
        );
    },
    [api],
  );

  const cancel = useCallback(() => {
    controller.current?.abort();
    setPhase({ kind: 'idle' });
  }, []);
  const retry = useCallback(() => {
    if (lastFile.current) start(lastFile.current, lastKind.current);
  }, [start]);
  const reset = useCallback(() => {
    controller.current?.abort();
    setPhase({ kind: 'idle' });
  }, []);

  return { phase, start, retry, cancel, reset };
}
