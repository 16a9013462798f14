// Public entry of the image catalog and the built-in image programs.
export {
  BUILTIN_IMAGES,
  ContainerConfigError,
  ImageCatalogError,
  ImagePullError,
  builtinProgramPath,
  containerArgv,
  loadUserCatalog,
  resolveImage,
} from './catalog.js';
export type { ContainerCommand, ImageConfig, ResolveImageOptions } from './catalog.js';
export { InvalidReferenceError, parseImageReference, referenceMatches } from './reference.js';
export type { ImageReference } from './reference.js';
