import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { applyRememberedTheme } from './composables/useTheme'
import './styles/base.css'

applyRememberedTheme()
createApp(App).use(createPinia()).mount('#app')
