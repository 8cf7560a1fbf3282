import type { ClientBase, QueryResult } from 'pg';

/**
 * pg's escapeLiteral, to the byte (quotes doubled; with a backslash, backslashes doubled and
 * the E'' form), by two native replaces instead of a string grown a character at a time: the
 * notary's batch is ten arrays of 500 elements, and escaping them char by char was a fifth
 * of its CPU batch by batch, most of it garbage (docs/performance.md).
 */
const escapeLiteral = (text: string): string => {
  const quoted = text.replace(/'/g, "''");
  return text.includes('\\') ? ` E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
};

/** A parameter as a SQL literal; EXECUTE coerces it to the prepared parameter's type. */
const literal = (value: unknown): string => {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) return escapeLiteral(value.toISOString());
  if (Array.isArray(value))
    return escapeLiteral(
      `{${value
        .map((item) =>
          item === null || item === undefined
            ? 'NULL'
            : `"${String(item).replace(/["\\]/g, (c) => `\\${c}`)}"`,
        )
        .join(',')}}`,
    );
  if (typeof value === 'object') return escapeLiteral(JSON.stringify(value));
  return escapeLiteral(String(value as string | number | bigint | boolean));
};

const reads = /^\s*SELECT\b/i;
const names = new Map<string, string>();
/** the statements each connection has prepared (PREPARE lasts as long as the session) */
const preparedOn = new WeakMap<ClientBase, Set<string>>();

const EMPTY: QueryResult = { command: '', rowCount: null, oid: 0, fields: [], rows: [] };

/** a script is sent once it holds this many characters: 500 messages of 1 MB must not make one */
const MAX_SCRIPT = 1_000_000;

/**
 * Sends a projection's writes to PostgreSQL together: each is prepared once per connection
 * (SQL PREPARE), then every write of a batch goes as one `EXECUTE …; EXECUTE …` message, one
 * round trip instead of one per statement. Per-statement round trips, not PostgreSQL's work,
 * bounded a rebuild (docs/performance.md).
 *
 * Only for handlers that read nothing back from a write: a write answers an empty result at
 * once, and its error comes from the next read or `flush`, inside the same transaction, which
 * then rolls back as it would have. A statement starting with SELECT is a read: the writes
 * queued before it are sent first, so it sees them.
 */
export class StatementBatch {
  private queued: string[] = [];
  private queuedLength = 0;

  constructor(private readonly db: ClientBase) {}

  /** The connection as a handler sees it. */
  readonly client = (): ClientBase =>
    new Proxy(this.db, {
      get: (target, property, receiver) =>
        property === 'query'
          ? (text: string, values: unknown[] = []) => this.query(text, values)
          : (Reflect.get(target, property, receiver) as unknown),
    });

  async flush(): Promise<void> {
    if (this.queued.length === 0) return;
    const script = this.queued.join(';\n');
    this.queued = [];
    this.queuedLength = 0;
    await this.db.query(script);
  }

  /**
   * Queues a statement even when it reads (its result is dropped; it goes with the next flush):
   * what the runner sends around a projection's writes (BEGIN, the checkpoint's lock and
   * update), so that a batch's transaction is one message and COMMIT. A statement without
   * parameters is sent as it is (BEGIN cannot be prepared).
   */
  async queue(text: string, values: readonly unknown[] = []): Promise<void> {
    this.push(values.length === 0 ? text : await this.executeOf(text, values));
  }

  private push(statement: string): void {
    this.queued.push(statement);
    this.queuedLength += statement.length;
  }

  private async query(text: string, values: readonly unknown[]): Promise<QueryResult> {
    if (reads.test(text)) {
      await this.flush();
      return this.db.query({ name: `batch_read_${this.nameOf(text)}`, text, values: [...values] });
    }
    this.push(await this.executeOf(text, values));
    if (this.queuedLength >= MAX_SCRIPT) await this.flush();
    return EMPTY;
  }

  /** `EXECUTE name(literals…)` of the statement, prepared on this connection first if need be. */
  private async executeOf(text: string, values: readonly unknown[]): Promise<string> {
    const name = `batch_${this.nameOf(text)}`;
    let prepared = preparedOn.get(this.db);
    if (prepared === undefined) preparedOn.set(this.db, (prepared = new Set()));
    if (!prepared.has(name)) {
      await this.flush();
      await this.db.query(`PREPARE ${name} AS ${text}`);
      prepared.add(name);
    }
    return values.length === 0
      ? `EXECUTE ${name}`
      : `EXECUTE ${name}(${values.map((v) => literal(v)).join(', ')})`;
  }

  private nameOf(text: string): string {
    let name = names.get(text);
    if (name === undefined) names.set(text, (name = String(names.size + 1)));
    return name;
  }
}
