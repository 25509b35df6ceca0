/** Saves a blob as a download named `fileName`, through a temporary object URL. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the click was handled, once the browser has started the download.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
