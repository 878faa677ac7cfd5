/**
 * Shared by the widget and the moderator panel bundles (browser code only):
 * saves text as a downloaded file through a temporary link, appended to
 * `parent` (the widget's shadow root keeps the host page untouched).
 */
export function saveTextFile(name: string, text: string, parent: Node = document.body, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  parent.appendChild(link);
  link.click();
  link.remove();
  // The download has its bytes by the time slow browsers get here; revoking later is only tidiness.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
