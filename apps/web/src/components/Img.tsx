import type { ImageState } from '../api/media';

/** An authorised image with a text stand-in while loading, when missing, or when refused. */
export function Img({ image, alt, className, missing = 'No image' }: { image: ImageState; alt: string; className?: string; missing?: string }) {
  if (image.state === 'ready') return <img className={className} src={image.url} alt={alt} />;
  const text = image.state === 'loading' ? 'Loading…' : image.state === 'none' ? missing : `Image unavailable: ${image.message}`;
  return (
    <div className={`${className ?? ''} img-placeholder`} role="img" aria-label={`${alt}: ${text}`}>
      <span>{text}</span>
    </div>
  );
}
