/** Which account dialog is open, shared by the top-bar menu and the settings section. */
export type AccountDialogName = 'sign-in' | 'sign-up' | 'forgot-password' | 'forgot-username' | 'devices' | 'delete'
