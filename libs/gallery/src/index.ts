export * from './media-store';
export * from './face-gallery';
export * from './rejection';
export * from './reembed';
export * from './usearch-neighbour-index';
