export * from './camera-url';
