/** Stylesheets are bundled by esbuild into the panel's hashed CSS file. */
declare module '*.css';
