/**
 * The benchmark's workspace: collections → folders → requests shaped like a
 * large real API catalogue (services, resources, the usual endpoints), built
 * with the domain schemas so every entity is what the app itself would store.
 * Deterministic, so runs compare.
 */
import { Collection, Folder, Request } from '../../src/domain/model'
import { keysBetween } from '../../src/domain/tree'

export interface WorkspaceSize {
  collections: number
  folders: number
  requests: number
}

/** Issue 2's size: 10,000 requests in 500 folders (25 folders of 20 requests per collection). */
export const ISSUE_SIZE: WorkspaceSize = { collections: 20, folders: 500, requests: 10_000 }

export interface GeneratedWorkspace {
  collections: Collection[]
  folders: Folder[]
  requests: Request[]
}

const SERVICES = ['Billing', 'Catalog', 'Checkout', 'Identity', 'Inventory', 'Shipping', 'Payments', 'Search', 'Reviews', 'Notifications', 'Analytics', 'Loyalty', 'Pricing', 'Returns', 'Warehouse', 'Support', 'Marketing', 'Accounts', 'Media', 'Reporting']
const RESOURCES = ['customers', 'orders', 'invoices', 'refunds', 'products', 'carts', 'coupons', 'addresses', 'payments', 'subscriptions', 'webhooks', 'users', 'sessions', 'tokens', 'shipments', 'parcels', 'stock', 'warehouses', 'reviews', 'ratings', 'campaigns', 'segments', 'reports', 'exports', 'audits']
/** Twenty endpoints per resource: [method, name, path after the resource]. */
const ENDPOINTS: Array<[string, string, string]> = [
  ['GET', 'List', ''], ['GET', 'Get one', '/:id'], ['POST', 'Create', ''], ['PUT', 'Replace', '/:id'],
  ['PATCH', 'Update', '/:id'], ['DELETE', 'Delete', '/:id'], ['GET', 'Search', '/search?q={{query}}'], ['GET', 'Count', '/count'],
  ['POST', 'Bulk create', '/bulk'], ['DELETE', 'Bulk delete', '/bulk'], ['GET', 'Export CSV', '/export?format=csv'], ['POST', 'Import CSV', '/import'],
  ['GET', 'History', '/:id/history'], ['POST', 'Archive', '/:id/archive'], ['POST', 'Restore', '/:id/restore'], ['GET', 'Metadata', '/:id/metadata'],
  ['PUT', 'Set metadata', '/:id/metadata'], ['GET', 'Changes since', '/changes?since={{cursor}}'], ['HEAD', 'Exists', '/:id'], ['OPTIONS', 'Allowed methods', ''],
]

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-')
}

function pick<T>(list: readonly T[], index: number): T {
  return list[index % list.length]
}

/**
 * Generates `size` entities: folders spread evenly over the collections and
 * requests evenly over the folders, ids stable (`c3`, `f41`, `r9000`), sort
 * keys made by the same fractional index the app uses.
 */
export function generateWorkspace(size: WorkspaceSize = ISSUE_SIZE): GeneratedWorkspace {
  const now = Date.now()
  const stamps = { createdAt: now, updatedAt: now, updatedBy: 'bench' }
  const collectionKeys = keysBetween(null, null, size.collections)
  const collections = collectionKeys.map((sortKey, c) => Collection.parse({
    ...stamps,
    id: `c${c}`,
    sortKey,
    name: `${pick(SERVICES, c)} API${c >= SERVICES.length ? ` ${Math.floor(c / SERVICES.length) + 1}` : ''}`,
    description: `Endpoints of the ${pick(SERVICES, c)} service.`,
    variables: [{ id: 'v1', key: 'baseUrl', value: 'https://api.example.com' }],
  }))

  const foldersPerCollection = Math.ceil(size.folders / size.collections)
  const folderKeys = keysBetween(null, null, foldersPerCollection)
  const folders: Folder[] = []
  for (let f = 0; f < size.folders; f++) {
    const collection = collections[Math.floor(f / foldersPerCollection) % collections.length]
    const position = f % foldersPerCollection
    folders.push(Folder.parse({ ...stamps, id: `f${f}`, parentId: collection.id, collectionId: collection.id, sortKey: folderKeys[position], name: pick(RESOURCES, position) }))
  }

  const requestsPerFolder = Math.ceil(size.requests / size.folders)
  const requestKeys = keysBetween(null, null, requestsPerFolder)
  const requests: Request[] = []
  for (let r = 0; r < size.requests; r++) {
    const folder = folders[Math.floor(r / requestsPerFolder) % folders.length]
    const position = r % requestsPerFolder
    const [method, action, path] = pick(ENDPOINTS, position)
    const service = slug(pick(SERVICES, Number(folder.collectionId.slice(1))))
    const writes = method === 'POST' || method === 'PUT' || method === 'PATCH'
    requests.push(Request.parse({
      ...stamps,
      id: `r${r}`,
      parentId: folder.id,
      collectionId: folder.collectionId,
      sortKey: requestKeys[position],
      name: `${action} ${folder.name}`,
      method,
      url: `{{baseUrl}}/${service}/v1/${folder.name}${path}`,
      params: path.includes('?') ? [{ id: 'p1', key: path.split('?')[1].split('=')[0], value: path.split('=')[1] }] : [],
      headers: [{ id: 'h1', key: 'Accept', value: 'application/json' }, { id: 'h2', key: 'X-Request-Id', value: '{{$guid}}' }],
      body: writes ? { mode: 'raw', rawLanguage: 'json', raw: JSON.stringify({ name: `${folder.name} ${r}`, tags: ['bench'], amount: r }, null, 2) } : {},
      auth: { type: 'inherit' },
    }))
  }
  return { collections, folders, requests }
}

/** How many entities, for the report. */
export function entityCount(workspace: GeneratedWorkspace): number {
  return workspace.collections.length + workspace.folders.length + workspace.requests.length
}
