/** Vite's `?worker&url` import: the URL of a module bundled on its own (the voice worklet). */
declare module '*?worker&url' {
  const url: string;
  export default url;
}
