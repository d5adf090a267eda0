/**
 * The synthetic account's answers as the bytes AWS would send: each output object is written as the
 * operation's *response* in its service's protocol, from the operation schema the SDK client itself parses
 * with (every Command carries it), so the client pays the real parsing cost.
 *
 * Reused from the SDK: `XmlShapeSerializer` (@aws-sdk/core/protocols) writes every XML structure, list,
 * map, timestamp and blob, honouring xmlName, xmlFlattened, xmlAttribute and xmlNamespace, which is what
 * its own `XmlShapeDeserializer` reads back; `JsonCodec2`'s serializer writes JSON bodies (epoch-second
 * timestamps, base64 blobs, jsonName for restJson1). Written here, because the SDK only ever writes
 * requests: the response envelopes (awsQuery's `<OpResponse><OpResult>…<ResponseMetadata>`, ec2Query's
 * `<OpResponse><requestId>…`), the HTTP bindings of an output (httpHeader, httpPayload, httpResponseCode),
 * S3's GetBucketLocation body (a bare `<LocationConstraint>` root holding the text) and every protocol's
 * error body.
 */
import { JsonCodec2, XmlShapeSerializer } from '@aws-sdk/core/protocols';
import { XmlNode, XmlText } from '@aws-sdk/xml-builder';
import { NormalizedSchema } from '@smithy/core/schema';

export type WireProtocol = 'awsQuery' | 'ec2Query' | 'restXml' | 'awsJson1_0' | 'awsJson1_1' | 'restJson1';

/** What the server needs of a service to answer in its protocol. */
export interface ServiceProtocol {
  readonly protocol: WireProtocol;
  /** The XML namespace of its responses (query and restXml services). */
  readonly xmlNamespace?: string;
  /** The Smithy namespace of its shapes, e.g. `com.amazonaws.cloudtrail` (JSON `__type`). */
  readonly namespace: string;
}

/** `[9, namespace, name, traits, input, output]`, as a Command's `schema` holds it. */
export type OperationSchema = readonly [number, string, string, unknown, unknown, unknown];

export interface WireResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array;
}

const PROTOCOLS: Readonly<Record<string, WireProtocol>> = {
  'aws.protocols#awsQuery': 'awsQuery',
  'aws.protocols#ec2Query': 'ec2Query',
  'aws.protocols#restXml': 'restXml',
  'aws.protocols#awsJson1_0': 'awsJson1_0',
  'aws.protocols#awsJson1_1': 'awsJson1_1',
  'aws.protocols#restJson1': 'restJson1',
};

/** Reads a client's protocol (`client.config.protocol`, a protocol instance in the schema-based clients). */
export function serviceProtocol(protocol: unknown): ServiceProtocol {
  const p = protocol as {
    getShapeId?: () => string;
    options?: { xmlNamespace?: string; defaultNamespace?: string };
  };
  const id = p?.getShapeId?.();
  const kind = id ? PROTOCOLS[id] : undefined;
  if (!kind) throw new Error(`unsupported protocol ${String(id)}`);
  return {
    protocol: kind,
    namespace: p.options?.defaultNamespace ?? '',
    ...(p.options?.xmlNamespace ? { xmlNamespace: p.options.xmlNamespace } : {}),
  };
}

// The serializers' own settings, as the protocols construct them (timestamp format 5 = date-time, 7 = epoch).
const xmlSerializer = (xmlNamespace?: string) =>
  new XmlShapeSerializer({
    timestampFormat: { useTrait: true, default: 5 },
    httpBindings: false,
    ...(xmlNamespace ? { xmlNamespace } : {}),
  } as never);
const jsonSerializer = (jsonName: boolean) =>
  new JsonCodec2({ timestampFormat: { useTrait: true, default: 7 }, jsonName } as never).createSerializer();

/** XmlShapeSerializer's structure writer: private in its types, the one method that returns a node. */
type StructWriter = { writeStruct(ns: NormalizedSchema, value: unknown, parentXmlns?: string): XmlNode };
const writeStruct = (ns: NormalizedSchema, value: unknown, xmlNamespace?: string): XmlNode =>
  (xmlSerializer(xmlNamespace) as unknown as StructWriter).writeStruct(ns, value ?? {}, undefined);

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
const isUnit = (ns: NormalizedSchema) => ns.isUnitSchema() || !ns.isStructSchema();

let requestCounter = 0;
/** A request id in AWS's shape, unique within the server. */
export function requestId(): string {
  requestCounter = (requestCounter + 1) % 0xffffffff;
  return `0a1b2c3d-0000-4000-8000-${requestCounter.toString(16).padStart(12, '0')}`;
}

function definedOnly(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) if (v !== undefined && k !== '$metadata') out[k] = v;
  return out;
}

/** Members of an output bound to the HTTP message rather than the body. */
interface Bindings {
  readonly headers: [name: string, member: NormalizedSchema, header: string][];
  readonly payload?: [name: string, member: NormalizedSchema];
  readonly status?: string;
  readonly body: string[];
}

function bindings(output: NormalizedSchema): Bindings {
  const headers: Bindings['headers'] = [];
  let payload: Bindings['payload'];
  let status: string | undefined;
  const body: string[] = [];
  for (const [name, member] of output.structIterator()) {
    const t = member.getMergedTraits() as Record<string, unknown>;
    if (typeof t.httpHeader === 'string') headers.push([name, member, t.httpHeader]);
    else if (t.httpPayload) payload = [name, member];
    else if (t.httpResponseCode) status = name;
    else if (t.httpPrefixHeaders !== undefined) continue;
    else body.push(name);
  }
  return { headers, ...(payload ? { payload } : {}), ...(status ? { status } : {}), body };
}

/** A header value as the SDK's header deserializer reads it (timestamps as HTTP dates, lists comma-joined). */
function headerValue(member: NormalizedSchema, value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => headerValue(member.getValueSchema(), v)).join(', ');
  if (value instanceof Date) return value.toUTCString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return String(value);
}

function pick(value: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const n of names) if (value[n] !== undefined) out[n] = value[n];
  return out;
}

/** The HTTP response for a successful call: `output` is what the answer returned. */
export function serializeOutput(
  service: ServiceProtocol,
  operation: OperationSchema,
  output: unknown,
  id: string = requestId(),
): WireResponse {
  const name = operation[2];
  const ns = NormalizedSchema.of(operation[5] as never);
  const value = definedOnly(output);
  switch (service.protocol) {
    case 'awsQuery': {
      const root = XmlNode.of(`${name}Response`).addAttribute('xmlns', service.xmlNamespace ?? '');
      if (!isUnit(ns)) root.addChildNode(writeStruct(ns, value).withName(`${name}Result`));
      root.addChildNode(XmlNode.of('ResponseMetadata').addChildNode(XmlNode.of('RequestId', id)));
      return {
        status: 200,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': id },
        body: root.toString(),
      };
    }
    case 'ec2Query': {
      const root = XmlNode.of(`${name}Response`).addAttribute('xmlns', `${service.xmlNamespace ?? ''}/`);
      root.addChildNode(XmlNode.of('requestId', id));
      if (!isUnit(ns)) for (const child of writeStruct(ns, value).children) root.addChildNode(child);
      return {
        status: 200,
        headers: { 'content-type': 'text/xml;charset=UTF-8' },
        body: XML_DECLARATION + root.toString(),
      };
    }
    case 'restXml':
      return restResponse(
        ns,
        value,
        id,
        (member, v) => {
          if (member.isStructSchema()) {
            const node = writeStruct(member, v);
            node.withName(
              (member.getMergedTraits() as { xmlName?: string }).xmlName ?? member.getName() ?? '',
            );
            node.addAttribute('xmlns', service.xmlNamespace ?? '');
            return { body: XML_DECLARATION + node.toString(), type: 'application/xml' };
          }
          return unstructured(member, v);
        },
        (body) => {
          // S3's GetBucketLocation: the root element is the member itself and holds the region as text.
          const only = [...ns.structIterator()];
          const rootName = (ns.getMergedTraits() as { xmlName?: string }).xmlName;
          if (only.length === 1 && only[0]![0] === rootName) {
            const node = XmlNode.of(rootName).addAttribute('xmlns', service.xmlNamespace ?? '');
            const text = body[rootName];
            if (text !== undefined) node.addChildNode(new XmlText(String(text)));
            return { body: XML_DECLARATION + node.toString(), type: 'application/xml' };
          }
          const node = writeStruct(ns, body);
          node.addAttribute('xmlns', service.xmlNamespace ?? '');
          return { body: XML_DECLARATION + node.toString(), type: 'application/xml' };
        },
      );
    case 'awsJson1_0':
    case 'awsJson1_1': {
      const s = jsonSerializer(false);
      s.write(ns as never, value);
      return {
        status: 200,
        headers: {
          'content-type': `application/x-amz-json-${service.protocol === 'awsJson1_0' ? '1.0' : '1.1'}`,
          'x-amzn-requestid': id,
        },
        body: isUnit(ns) ? '{}' : (s.flush() as string | Uint8Array),
      };
    }
    case 'restJson1':
      return restResponse(
        ns,
        value,
        id,
        (member, v) => {
          if (
            member.isStructSchema() ||
            member.isListSchema() ||
            member.isMapSchema() ||
            member.isDocumentSchema()
          ) {
            const s = jsonSerializer(true);
            s.write(member as never, v);
            return { body: s.flush() as string | Uint8Array, type: 'application/json' };
          }
          return unstructured(member, v);
        },
        (body) => {
          const s = jsonSerializer(true);
          s.write(ns as never, body);
          return { body: s.flush() as string | Uint8Array, type: 'application/json' };
        },
      );
  }
}

/** A string or blob payload: the bytes themselves. */
function unstructured(member: NormalizedSchema, v: unknown): { body: string | Uint8Array; type: string } {
  const media = (member.getMergedTraits() as { mediaType?: string }).mediaType;
  if (member.isBlobSchema()) return { body: v as Uint8Array, type: media ?? 'application/octet-stream' };
  return { body: String(v), type: media ?? 'text/plain' };
}

/** restXml and restJson1: headers, status and payload from the output's HTTP bindings, the rest as body. */
function restResponse(
  ns: NormalizedSchema,
  value: Record<string, unknown>,
  id: string,
  payloadBody: (member: NormalizedSchema, v: unknown) => { body: string | Uint8Array; type: string },
  structuredBody: (body: Record<string, unknown>) => { body: string | Uint8Array; type: string },
): WireResponse {
  const headers: Record<string, string> = { 'x-amz-request-id': id, 'x-amzn-requestid': id };
  if (isUnit(ns)) return { status: 200, headers, body: '' };
  const b = bindings(ns);
  for (const [name, member, header] of b.headers)
    if (value[name] !== undefined) headers[header.toLowerCase()] = headerValue(member, value[name]);
  const status = b.status && typeof value[b.status] === 'number' ? (value[b.status] as number) : 200;
  if (b.payload) {
    const [name, member] = b.payload;
    if (value[name] === undefined) return { status, headers, body: '' };
    const { body, type } = payloadBody(member, value[name]);
    return { status, headers: { ...headers, 'content-type': type }, body };
  }
  const bodyValue = pick(value, b.body);
  if (b.body.length === 0) return { status, headers, body: '' };
  const { body, type } = structuredBody(bodyValue);
  return { status, headers: { ...headers, 'content-type': type }, body };
}

/** An error an answer threw, or the server's own throttling: the service's code, message and HTTP status. */
export interface WireError {
  readonly code: string;
  readonly message: string;
  readonly status: number;
}

/** Reads what an answer threw: AWS-shaped errors carry `name` and `$metadata.httpStatusCode`. */
export function wireError(err: unknown): WireError {
  const e = (err ?? {}) as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const status = e.$metadata?.httpStatusCode;
  return {
    code: typeof e.name === 'string' && e.name !== 'Error' ? e.name : 'InternalFailure',
    message: typeof e.message === 'string' ? e.message : String(err),
    status: typeof status === 'number' && status >= 300 ? status : 400,
  };
}

/** The HTTP response for an error, in the protocol's error shape. */
export function serializeError(
  service: ServiceProtocol,
  error: WireError,
  id: string = requestId(),
): WireResponse {
  const { code, message, status } = error;
  switch (service.protocol) {
    case 'awsQuery': {
      const root = XmlNode.of('ErrorResponse').addAttribute('xmlns', service.xmlNamespace ?? '');
      root.addChildNode(
        XmlNode.of('Error')
          .addChildNode(XmlNode.of('Type', status >= 500 ? 'Receiver' : 'Sender'))
          .addChildNode(XmlNode.of('Code', code))
          .addChildNode(XmlNode.of('Message', message)),
      );
      root.addChildNode(XmlNode.of('RequestId', id));
      return {
        status,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': id },
        body: root.toString(),
      };
    }
    case 'ec2Query': {
      const root = XmlNode.of('Response')
        .addChildNode(
          XmlNode.of('Errors').addChildNode(
            XmlNode.of('Error')
              .addChildNode(XmlNode.of('Code', code))
              .addChildNode(XmlNode.of('Message', message)),
          ),
        )
        .addChildNode(XmlNode.of('RequestID', id));
      return {
        status,
        headers: { 'content-type': 'text/xml;charset=UTF-8' },
        body: XML_DECLARATION + root.toString(),
      };
    }
    case 'restXml': {
      const root = XmlNode.of('Error')
        .addChildNode(XmlNode.of('Code', code))
        .addChildNode(XmlNode.of('Message', message))
        .addChildNode(XmlNode.of('RequestId', id));
      return {
        status,
        headers: { 'content-type': 'application/xml', 'x-amz-request-id': id },
        body: XML_DECLARATION + root.toString(),
      };
    }
    case 'awsJson1_0':
    case 'awsJson1_1':
      return {
        status,
        headers: {
          'content-type': `application/x-amz-json-${service.protocol === 'awsJson1_0' ? '1.0' : '1.1'}`,
          'x-amzn-requestid': id,
          'x-amzn-errortype': code,
        },
        body: JSON.stringify({ __type: `${service.namespace}#${code}`, message }),
      };
    case 'restJson1':
      return {
        status,
        headers: { 'content-type': 'application/json', 'x-amzn-requestid': id, 'x-amzn-errortype': code },
        body: JSON.stringify({ message }),
      };
  }
}
