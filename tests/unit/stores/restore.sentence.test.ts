import { describe, expect, it } from 'vitest'
import { restoreSentence } from '../../../src/stores/restore'

describe('the restore progress in words', () => {
  it('says documents and items of the total, with thousands separated', () => {
    expect(restoreSentence({ documentsDone: 2, documentsTotal: 4, itemsLoaded: 3412, itemsTotal: 5050 }))
      .toBe('Restoring your workspaces: 2 of 4 documents, 3,412 of 5,050 items')
  })

  it('counts items without a total until the server has said how many there are', () => {
    expect(restoreSentence({ documentsDone: 0, documentsTotal: 2, itemsLoaded: 1200, itemsTotal: null }))
      .toBe('Restoring your workspaces: 0 of 2 documents, 1,200 items')
  })

  it('never says more items loaded than the total', () => {
    expect(restoreSentence({ documentsDone: 4, documentsTotal: 4, itemsLoaded: 13, itemsTotal: 12 }))
      .toBe('Restoring your workspaces: 4 of 4 documents, 12 of 12 items')
  })
})
