/**
 * A request's body as text, or null when it is larger than `maxBytes`: refused on its declared
 * length before anything is read, or as soon as the bytes read pass the limit, so an oversized or
 * endless body never fills memory.
 */
export async function readBodyWithin(request: Request, maxBytes: number): Promise<string | null> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) return null;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export const payloadTooLarge = (maxBytes: number) =>
  Response.json({ error: `The request body is larger than ${maxBytes.toLocaleString('en')} bytes.` }, { status: 413 });
