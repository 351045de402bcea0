// electron-vite's `?asset` imports: a file copied next to the built main process, its path at run time.
/// <reference types="electron-vite/node" />
