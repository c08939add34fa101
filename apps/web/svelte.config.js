/** Svelte compiles TypeScript in components itself; no preprocessing is needed. */
export default {};
