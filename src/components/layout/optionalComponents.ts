/**
 * Components other engineers own, picked up when their files exist: the
 * glob is empty until then, so the shell builds and runs without them.
 */
import type { Component } from 'vue'

const modules = import.meta.glob<{ default: Component }>([
  '../app/AppStatusArea.vue',
  '../app/StorageUsage.vue',
  '../tabs/RequestArea.vue',
], { eager: true })

function find(path: string): Component | null {
  return modules[path]?.default ?? null
}

export const AppStatusArea = find('../app/AppStatusArea.vue')
export const StorageUsage = find('../app/StorageUsage.vue')
export const RequestArea = find('../tabs/RequestArea.vue')
