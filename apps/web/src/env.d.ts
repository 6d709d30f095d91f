// Side-effect and asset imports that Vite handles.
declare module '*.css';
