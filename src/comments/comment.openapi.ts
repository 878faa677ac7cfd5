export function commentApiPaths(): Record<string, unknown> {
  return {};
}
