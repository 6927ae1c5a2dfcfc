import type { ImagingLabel } from './imaging-words.ts';
import type { OrientationMarkers } from './orientation.ts';
import type { OverlayText } from './overlay-text.ts';
import type { StackViewerState } from './use-stack-viewer.ts';

interface ImageOverlayProps {
  overlay: OverlayText;
  markers: OrientationMarkers | undefined;
  viewer: StackViewerState;
  masked: boolean;
  t: (key: ImagingLabel) => string;
}

/** The four corners (patient, series, image number, window) and the orientation markers over the image. */
export function ImageOverlay({ overlay, markers, viewer, masked, t }: ImageOverlayProps) {
  return (
    <div className="imaging__overlay" data-testid="imaging-overlay" data-masked={masked} aria-hidden="true">
      <div className="imaging__corner imaging__corner--tl">
        <div data-testid="imaging-overlay-patient">{overlay.patientName}</div>
        <div>{overlay.patientId}</div>
        <div>{overlay.studyDate}</div>
      </div>
      <div className="imaging__corner imaging__corner--tr">
        <div>{overlay.modality}</div>
        <div>{overlay.seriesDescription}</div>
      </div>
      <div className="imaging__corner imaging__corner--bl">
        {t('image')} {viewer.count > 0 ? `${viewer.index + 1} / ${viewer.count}` : ''}
      </div>
      <div className="imaging__corner imaging__corner--br">
        {viewer.windowWidth !== undefined ? `W ${viewer.windowWidth} L ${viewer.windowCenter}` : ''}
      </div>
      {markers && (
        <>
          <div className="imaging__marker imaging__marker--top" data-testid="imaging-orientation-top">
            {markers.top}
          </div>
          <div className="imaging__marker imaging__marker--bottom">{markers.bottom}</div>
          <div className="imaging__marker imaging__marker--left" data-testid="imaging-orientation-left">
            {markers.left}
          </div>
          <div className="imaging__marker imaging__marker--right">{markers.right}</div>
        </>
      )}
    </div>
  );
}
