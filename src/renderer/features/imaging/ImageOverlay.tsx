import type { ImagingLabel } from './imaging-words.ts';
import type { OrientationMarkers } from './orientation.ts';
import type { OverlayText } from './overlay-text.ts';
import type { StackViewerState } from './use-stack-viewer.ts';

interface ImageOverlayProps {
  overlay: OverlayText;
  markers: OrientationMarkers | undefined;
  viewer: StackViewerState;
  masked: boolean;
  /** The slice's position along its normal in mm, when its geometry is known. */
  position?: number | undefined;
  /** Test ids start with it: "imaging" for the main viewport, "imaging-compare" for the others. */
  testIdPrefix?: string;
  t: (key: ImagingLabel) => string;
}

/** The four corners (patient, series, image number, window) and the orientation markers over the image. */
export function ImageOverlay({ overlay, markers, viewer, masked, position, testIdPrefix = 'imaging', t }: ImageOverlayProps) {
  return (
    <div className="imaging__overlay" data-testid={`${testIdPrefix}-overlay`} data-masked={masked} aria-hidden="true">
      <div className="imaging__corner imaging__corner--tl">
        <div data-testid={`${testIdPrefix}-overlay-patient`}>{overlay.patientName}</div>
        <div>{overlay.patientId}</div>
        <div>{overlay.studyDate}</div>
      </div>
      <div className="imaging__corner imaging__corner--tr">
        <div>{overlay.modality}</div>
        <div>{overlay.seriesDescription}</div>
      </div>
      <div className="imaging__corner imaging__corner--bl">
        <div data-testid={`${testIdPrefix}-overlay-image`}>
          {t('image')} {viewer.count > 0 ? `${viewer.index + 1} / ${viewer.count}` : ''}
        </div>
        {position !== undefined && (
          <div data-testid={`${testIdPrefix}-overlay-position`}>
            {t('location')} {position.toFixed(1)} mm
          </div>
        )}
      </div>
      <div className="imaging__corner imaging__corner--br" data-testid={`${testIdPrefix}-overlay-window`}>
        {viewer.windowWidth !== undefined ? `W ${viewer.windowWidth} L ${viewer.windowCenter}` : ''}
      </div>
      {markers && (
        <>
          <div className="imaging__marker imaging__marker--top" data-testid={`${testIdPrefix}-orientation-top`}>
            {markers.top}
          </div>
          <div className="imaging__marker imaging__marker--bottom">{markers.bottom}</div>
          <div className="imaging__marker imaging__marker--left" data-testid={`${testIdPrefix}-orientation-left`}>
            {markers.left}
          </div>
          <div className="imaging__marker imaging__marker--right">{markers.right}</div>
        </>
      )}
    </div>
  );
}
