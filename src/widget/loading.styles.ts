/** The loader's placeholder: reserves the thread's box so the page doesn't jump when it renders. */
export const LOADING_CSS = `
:host { all: initial; display: block; min-height: 320px; contain: layout; }
.parley-loading { margin: 0; padding: 24px 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #6b7280; }
`;
