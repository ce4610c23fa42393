import type { InputShape } from '../preprocessing/image-input';

/** Where an image of width × height lands inside a letterboxed model input (fit: contain, centred). */
export function letterboxGeometry(
  imageWidth: number,
  imageHeight: number,
  shape: Pick<InputShape, 'width' | 'height'>,
) {
  const scale = Math.min(shape.width / imageWidth, shape.height / imageHeight);
  const width = Math.round(imageWidth * scale);
  const height = Math.round(imageHeight * scale);
  return {
    scale,
    width,
    height,
    left: Math.floor((shape.width - width) / 2),
    top: Math.floor((shape.height - height) / 2),
  };
}

/** An input pixel back in image coordinates. */
export function inputToImage(
  point: { x: number; y: number },
  imageWidth: number,
  imageHeight: number,
  shape: Pick<InputShape, 'width' | 'height'>,
) {
  const box = letterboxGeometry(imageWidth, imageHeight, shape);
  return { x: (point.x + 0.5 - box.left) / box.scale, y: (point.y + 0.5 - box.top) / box.scale };
}
