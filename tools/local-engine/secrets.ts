// Secrets the way the Pulumi CLI's passphrase secrets manager keeps them, so that a stack's Pulumi.<stack>.yaml
// written by `pulumi config set --secret` decrypts here, and so that values a program marked secret never reach the
// local engine's state file in clear text:
//   key   = PBKDF2-SHA256(passphrase, salt, 1,000,000 iterations, 32 bytes)
//   value = "v1:" + base64(12-byte nonce) + ":" + base64(AES-256-GCM ciphertext with its tag appended)
//   salt state (Pulumi.<stack>.yaml `encryptionsalt`) = "v1:" + base64(8-byte salt) + ":" + encrypt("pulumi")
// (pulumi/pulumi sdk/go/common/resource/config/crypt.go, pkg/secrets/passphrase/manager.go).
import { createCipheriv, createDecipheriv, pbkdf2, randomBytes } from "node:crypto";
import * as fs from "node:fs";

/** Pulumi's wire and state marker of a secret value (sdk/go/common/resource/sig). */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";

export interface SecretEnvelope {
  [SECRET_SIG_KEY]: typeof SECRET_SIG_VALUE;
  value: unknown;
}

export const secret = (value: unknown): SecretEnvelope => ({ [SECRET_SIG_KEY]: SECRET_SIG_VALUE, value });

export function isSecret(v: unknown): v is SecretEnvelope {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG_VALUE;
}

/** True when the value is, or holds anywhere inside it, a secret. */
export function containsSecrets(v: unknown): boolean {
  if (isSecret(v)) return true;
  if (Array.isArray(v)) return v.some(containsSecrets);
  if (v && typeof v === "object") return Object.values(v).some(containsSecrets);
  return false;
}

/** The plain value: what a provider that does not accept secrets is sent (the engine strips the markers). */
export function unwrapSecrets(v: unknown): unknown {
  if (isSecret(v)) return unwrapSecrets(v.value);
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
  return v;
}

export function unwrapProps(props: Record<string, unknown>): Record<string, unknown> {
  return unwrapSecrets(props) as Record<string, unknown>;
}

/**
 * The engine's annotateSecrets: a provider that does not accept secrets returns plain values, so every top-level
 * property whose input held a secret is marked secret again in what it returned.
 */
export function annotateSecrets(outputs: Record<string, unknown>, inputs: Record<string, unknown>): Record<string, unknown> {
  const out = { ...outputs };
  for (const [k, v] of Object.entries(inputs)) if (k in out && containsSecrets(v) && !isSecret(out[k])) out[k] = secret(out[k]);
  return out;
}

/** Secrets replaced by "[secret]", for events and displays. */
export function maskSecrets(v: unknown): unknown {
  if (isSecret(v)) return "[secret]";
  if (Array.isArray(v)) return v.map(maskSecrets);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskSecrets(x)]));
  return v;
}

export class PassphraseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PassphraseError";
  }
}

const ITERATIONS = 1_000_000;

export class Crypter {
  private constructor(private readonly key: Buffer) {}

  static async fromPassphrase(passphrase: string, salt: Buffer): Promise<Crypter> {
    const key = await new Promise<Buffer>((resolve, reject) => pbkdf2(passphrase, salt, ITERATIONS, 32, "sha256", (e, k) => (e ? reject(e) : resolve(k))));
    return new Crypter(key);
  }

  /** Checks the passphrase against a salt state, as `pulumi` does before it decrypts anything. */
  static async fromState(passphrase: string, state: string): Promise<Crypter> {
    const parts = state.split(":");
    if (parts.length !== 5 || parts[0] !== "v1") throw new PassphraseError(`malformed passphrase salt state "${state.slice(0, 16)}…"`);
    const crypter = await Crypter.fromPassphrase(passphrase, Buffer.from(parts[1], "base64"));
    let check: string | undefined;
    try {
      check = crypter.decrypt(parts.slice(2).join(":"));
    } catch {
      check = undefined;
    }
    if (check !== "pulumi") throw new PassphraseError("incorrect passphrase");
    return crypter;
  }

  /** A new salt state for a stack that has none yet. */
  static async create(passphrase: string): Promise<{ crypter: Crypter; state: string }> {
    const salt = randomBytes(8);
    const crypter = await Crypter.fromPassphrase(passphrase, salt);
    return { crypter, state: `v1:${salt.toString("base64")}:${crypter.encrypt("pulumi")}` };
  }

  encrypt(plaintext: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, nonce);
    const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `v1:${nonce.toString("base64")}:${ct.toString("base64")}`;
  }

  decrypt(value: string): string {
    const parts = value.split(":");
    if (parts.length !== 3 || parts[0] !== "v1") throw new PassphraseError("bad value");
    const nonce = Buffer.from(parts[1], "base64");
    const data = Buffer.from(parts[2], "base64");
    if (data.length < 16) throw new PassphraseError("bad value");
    const decipher = createDecipheriv("aes-256-gcm", this.key, nonce);
    decipher.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString("utf8");
  }
}

/** PULUMI_CONFIG_PASSPHRASE (an empty value counts, as in the CLI), else PULUMI_CONFIG_PASSPHRASE_FILE. */
export function readPassphrase(env: NodeJS.ProcessEnv): string | undefined {
  if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) return env.PULUMI_CONFIG_PASSPHRASE;
  const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
  if (file) return fs.readFileSync(file, "utf8").replace(/\r?\n$/, "");
  return undefined;
}

export const NO_PASSPHRASE =
  "passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables";

/**
 * One stack's crypter, derived at most once per run (PBKDF2 with a million rounds takes about half a second) and
 * only when a secret is actually read or written.
 */
export class StackSecrets {
  private crypter?: Promise<Crypter>;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    /** The salt state to use (Pulumi.<stack>.yaml's or the state file's); a new one is made when there is none. */
    private saltState: string | undefined,
  ) {}

  get state(): string | undefined {
    return this.saltState;
  }

  get(): Promise<Crypter> {
    this.crypter ??= (async () => {
      const passphrase = readPassphrase(this.env);
      if (passphrase === undefined) throw new PassphraseError(NO_PASSPHRASE);
      if (this.saltState) return Crypter.fromState(passphrase, this.saltState);
      const made = await Crypter.create(passphrase);
      this.saltState = made.state;
      return made.crypter;
    })();
    return this.crypter;
  }
}

/** In the state file a secret is {sig, ciphertext}: the encrypted JSON of its value, as in Pulumi's checkpoints. */
export async function encryptSecrets(v: unknown, secrets: StackSecrets): Promise<unknown> {
  if (isSecret(v)) {
    const crypter = await secrets.get();
    return { [SECRET_SIG_KEY]: SECRET_SIG_VALUE, ciphertext: crypter.encrypt(JSON.stringify(unwrapSecrets(v.value) ?? null)) };
  }
  if (Array.isArray(v)) return Promise.all(v.map((x) => encryptSecrets(x, secrets)));
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = await encryptSecrets(x, secrets);
    return out;
  }
  return v;
}

export async function decryptSecrets(v: unknown, secrets: StackSecrets): Promise<unknown> {
  if (v && typeof v === "object" && !Array.isArray(v) && (v as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG_VALUE) {
    const o = v as Record<string, unknown>;
    if (typeof o.ciphertext === "string") return secret(JSON.parse((await secrets.get()).decrypt(o.ciphertext)));
    return secret(await decryptSecrets(o.value, secrets));
  }
  if (Array.isArray(v)) return Promise.all(v.map((x) => decryptSecrets(x, secrets)));
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = await decryptSecrets(x, secrets);
    return out;
  }
  return v;
}
