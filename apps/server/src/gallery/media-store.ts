// The media store moved to @vigil/gallery (the CLI writes reference photos too); kept here so
// server modules keep importing it from the gallery feature folder.
export { MediaStore } from '@vigil/gallery';
