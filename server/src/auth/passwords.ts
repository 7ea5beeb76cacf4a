/**
 * Password hashing with scrypt (node:crypto). The cost is N=2^costLog2, r=8,
 * p=1 (DESIGN.md §6); the parameters are stored with each hash in PHC string
 * form (`$scrypt$ln=17,r=8,p=1$<salt>$<hash>`) so a later cost change still
 * verifies old hashes. Verification is constant-time, and unknown accounts are
 * checked against a dummy hash so the time taken does not reveal them.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  costLog2: number
  blockSize: number
  parallelization: number
}

const KEY_LENGTH = 32
const SALT_LENGTH = 16

/** The parameters new hashes use: N=2^costLog2 (17 unless configured lower), r=8, p=1. */
export function scryptParams(costLog2: number): ScryptParams {
  return { costLog2, blockSize: 8, parallelization: 1 }
}

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.costLog2
  // scrypt needs 128·N·r bytes; Node's default maxmem (32 MiB) is below that at N=2^17.
  const maxmem = 2 * 128 * N * params.blockSize * params.parallelization + 1024 * 1024
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N, r: params.blockSize, p: params.parallelization, maxmem }, (err, key) => {
      if (err)
        reject(err)
      else
        resolve(key)
    })
  })
}

/** Hashes a password with a fresh random salt; the result carries its own parameters. */
export async function hashPassword(password: string, params: ScryptParams): Promise<string> {
  const salt = randomBytes(SALT_LENGTH)
  const key = await derive(password, salt, params)
  return `$scrypt$ln=${params.costLog2},r=${params.blockSize},p=${params.parallelization}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

interface ParsedHash {
  params: ScryptParams
  salt: Buffer
  key: Buffer
}

/** Reads a stored hash; null when it is not one of ours. */
export function parsePasswordHash(stored: string): ParsedHash | null {
  const match = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,3}),p=(\d{1,3})\$([\w-]+)\$([\w-]+)$/.exec(stored)
  if (!match)
    return null
  return {
    params: { costLog2: Number(match[1]), blockSize: Number(match[2]), parallelization: Number(match[3]) },
    salt: Buffer.from(match[4], 'base64url'),
    key: Buffer.from(match[5], 'base64url'),
  }
}

/** True when `password` matches `stored`. Constant-time in the comparison. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parsePasswordHash(stored)
  if (!parsed)
    return false
  const key = await derive(password, parsed.salt, parsed.params)
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key)
}

/** True when a stored hash was made with other parameters than the current ones (rehash on sign-in). */
export function needsRehash(stored: string, params: ScryptParams): boolean {
  const parsed = parsePasswordHash(stored)
  return !parsed
    || parsed.params.costLog2 !== params.costLog2
    || parsed.params.blockSize !== params.blockSize
    || parsed.params.parallelization !== params.parallelization
}

/**
 * Verifies passwords, spending the same work when the account does not exist:
 * the KDF then runs against a dummy hash made once with the current parameters.
 */
export class PasswordChecker {
  private dummy: Promise<string> | null = null

  /** `verify` is verifyPassword; tests pass one that records which hashes were checked. */
  constructor(readonly params: ScryptParams, private readonly verify: typeof verifyPassword = verifyPassword) {}

  /** Makes the dummy hash ahead of time, so the first unknown account is not slower than the rest. */
  warmUp(): Promise<string> {
    this.dummy ??= hashPassword(randomBytes(16).toString('hex'), this.params)
    return this.dummy
  }

  hash(password: string): Promise<string> {
    return hashPassword(password, this.params)
  }

  /** Checks `password` against `stored`, or burns the same time and answers false when there is no account. */
  async check(password: string, stored: string | null): Promise<boolean> {
    if (stored === null) {
      await this.verify(password, await this.warmUp())
      return false
    }
    return this.verify(password, stored)
  }
}
