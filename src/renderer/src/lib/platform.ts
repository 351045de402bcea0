// What the keyboard shortcuts are called on this machine.
const mac = typeof navigator !== 'undefined' && navigator.platform.toLowerCase().includes('mac')

/** The modifier key of the app's shortcuts as shown to people: ⌘ on a Mac, Ctrl elsewhere. */
export const MOD_KEY = mac ? '⌘' : 'Ctrl'

/** A shortcut written out as this machine writes it: ⌘1 on a Mac, Ctrl+1 elsewhere. */
export const shortcutLabel = (key: string): string => (mac ? `${MOD_KEY}${key}` : `${MOD_KEY}+${key}`)
