// HTML helpers shared by the Faces pages the sandbox renders.
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Faces pages go out as text/html;charset=UTF-8. */
export const HTML_TYPE = { 'Content-Type': 'text/html;charset=UTF-8' };
