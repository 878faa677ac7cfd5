/** Saves text as a downloaded file through a temporary link. */
export function saveTextFile(name: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The download has its bytes by the time slow browsers get here; revoking later is only tidiness.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
