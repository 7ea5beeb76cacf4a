/** An import that cannot go on; `message` says what is wrong with the file and what to do. */
export class PostmanImportError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PostmanImportError'
  }
}
