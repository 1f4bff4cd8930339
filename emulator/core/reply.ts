// How an RPC reply goes on the wire: JSON (the default here) or XML when the request's `Format` asks for it,
// always with the `x-acs-request-id` header the real endpoints send. The XML follows the API reference's
// examples: `<?xml …?>`, a root named `<Action>Response` (errors: `<Error>`), one element per field, and a list
// `{"Instances": {"Instance": [a, b]}}` as `<Instances><Instance>a</Instance><Instance>b</Instance></Instances>`.
import { ServerResponse } from "node:http";

export type ReplyFormat = "JSON" | "XML";

/** `Format=XML` (any case) in the query or the form body asks for XML; anything else gets JSON. */
export function replyFormat(query: Record<string, string>, form: Record<string, string>): ReplyFormat {
  const asked = query.Format ?? form.Format ?? "";
  return asked.toUpperCase() === "XML" ? "XML" : "JSON";
}

const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };
const escapeXml = (s: string): string => s.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);

function element(name: string, value: unknown): string {
  if (value === undefined || value === null) return "";
  // A list repeats its element name once per item; an empty list renders nothing (as the real API does).
  if (Array.isArray(value)) return value.map((item) => element(name, item)).join("");
  if (typeof value === "object") return `<${name}>${children(value as Record<string, unknown>)}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function children(body: Record<string, unknown>): string {
  return Object.entries(body).map(([k, v]) => element(k, v)).join("");
}

export function toXml(root: string, body: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?><${root}>${children(body)}</${root}>`;
}

export interface ReplyOptions {
  format: ReplyFormat;
  /** XML root element: `<Action>Response` on success, `Error` on failure. */
  root: string;
  requestId: string;
  headers?: Record<string, string>;
}

export function sendReply(res: ServerResponse, status: number, body: Record<string, unknown>, o: ReplyOptions): void {
  const xml = o.format === "XML";
  const text = xml ? toXml(o.root, body) : JSON.stringify(body);
  for (const [k, v] of Object.entries(o.headers ?? {})) res.setHeader(k, v);
  res.writeHead(status, {
    "content-type": xml ? "text/xml;charset=utf-8" : "application/json;charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "x-acs-request-id": o.requestId,
  });
  res.end(text);
}
