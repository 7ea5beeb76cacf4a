/**
 * The default password cost is the strong one (scrypt N=2^17, r=8, p=1);
 * tests elsewhere lower it with PASSWORD_COST_LOG2. Prints how long one hash
 * takes on this machine.
 */
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../../server/src/config'
import { PasswordChecker, hashPassword, needsRehash, parsePasswordHash, scryptParams, verifyPassword } from '../../../server/src/auth/passwords'

describe('password hashing', () => {
  it('defaults to scrypt N=2^17, r=8, p=1 and stores the parameters with the hash', async () => {
    const params = scryptParams(loadConfig({}).passwordCostLog2)
    expect(params).toEqual({ costLog2: 17, blockSize: 8, parallelization: 1 })

    const started = performance.now()
    const stored = await hashPassword('correct horse battery', params)
    const ms = performance.now() - started
    console.log(`One scrypt hash at N=2^17, r=8, p=1 took ${Math.round(ms)} ms on this machine.`)

    expect(stored).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$[\w-]{22}\$[\w-]{43}$/)
    expect(parsePasswordHash(stored)!.params).toEqual(params)
    expect(await verifyPassword('correct horse battery', stored)).toBe(true)
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false)
  }, 30_000)

  it('salts every hash and verifies hashes made at another cost', async () => {
    const low = scryptParams(10)
    const a = await hashPassword('same password', low)
    const b = await hashPassword('same password', low)
    expect(a).not.toBe(b)
    expect(await verifyPassword('same password', a)).toBe(true)
    expect(needsRehash(a, scryptParams(11))).toBe(true)
    expect(needsRehash(a, low)).toBe(false)
    expect(await verifyPassword('same password', 'not a hash')).toBe(false)
  })

  it('spends the KDF work on unknown accounts too', async () => {
    // The same work is the same KDF run with the same parameters, which is checked here
    // instead of comparing times (timings belong to benchmarks, not tests).
    const checked: string[] = []
    const recordingVerify = (password: string, stored: string): Promise<boolean> => {
      checked.push(stored)
      return verifyPassword(password, stored)
    }
    const checker = new PasswordChecker(scryptParams(12), recordingVerify)
    const stored = await checker.hash('the real password')

    expect(await checker.check('the real password', stored)).toBe(true)
    expect(await checker.check('the real password', null)).toBe(false)
    expect(await checker.check('another password', null)).toBe(false)

    expect(checked).toHaveLength(3)
    const [real, ...dummies] = checked.map(hash => parsePasswordHash(hash))
    expect(real!.params).toEqual(checker.params)
    for (const dummy of dummies) {
      // A real scrypt hash at the current cost, not a shortcut that skips the KDF.
      expect(dummy!.params).toEqual(checker.params)
      expect(dummy!.key).toHaveLength(real!.key.length)
    }
  })
})
