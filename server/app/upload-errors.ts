/** A file upload went past its route's limit while it was being read. */
export class UploadTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The file is over ${Math.round(maxBytes / 1024 / 1024)} MB.`);
    this.name = 'UploadTooLargeError';
  }
}
