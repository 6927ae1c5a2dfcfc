#!/usr/bin/python3
"""Reference decodes for the pixel-correctness harness (test/support/pixel-correctness.ts).

For each DICOM file named on the command line, writes <out>/<name>.f32 (every frame, as
frames x rows x columns x samples float32, colour always as RGB) and prints one JSON line
describing it. The decode comes from pydicom (Debian python3-pydicom, with Pillow and its
OpenJPEG for JPEG baseline and JPEG 2000); where pydicom has no decoder (JPEG lossless,
12-bit JPEG, JPEG-LS) from DCMTK's dcmj2pnm (Debian dcmtk: dcm2pnm plus its JPEG and
JPEG-LS codecs), written as
16-bit PGM/PPM without VOI windowing. Correlation ignores linear scaling, so either is a
valid reference for stored values.

Usage: pixel-reference.py OUTDIR FILE...
"""
import json
import os
import subprocess
import sys
import tempfile
import warnings

import numpy as np
import pydicom
from pydicom.pixel_data_handlers.util import convert_color_space

warnings.simplefilter('ignore')


def frame_count(ds):
    # badVR.dcm says '1A': a frame count that does not parse is one frame.
    try:
        return max(1, int(ds.get('NumberOfFrames', 1) or 1))
    except ValueError:
        return 1


def frames_of(arr, ds):
    frames = frame_count(ds)
    samples = int(ds.get('SamplesPerPixel', 1))
    return arr.reshape(frames, int(ds.Rows), int(ds.Columns), samples)


def pydicom_decode(ds):
    arr = ds.pixel_array
    photometric = str(ds.get('PhotometricInterpretation', ''))
    # pydicom leaves YBR as YBR (its handlers do not convert): convert as a viewer must.
    if photometric in ('YBR_FULL', 'YBR_FULL_422') and arr.shape[-1] == 3:
        arr = convert_color_space(arr, 'YBR_FULL', 'RGB')
    return frames_of(arr.astype(np.float32), ds)


def read_pnm_ascii(path):
    with open(path, 'rb') as handle:
        tokens = handle.read().split()
    magic = tokens[0].decode()
    width, height = int(tokens[1]), int(tokens[2])
    samples = 3 if magic == 'P3' else 1
    values = np.array(tokens[4 : 4 + width * height * samples], dtype=np.float32)
    return values.reshape(height, width, samples)


def dcmtk_decode(path, ds):
    frames = frame_count(ds)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        if str(ds.file_meta.TransferSyntaxUID).startswith('1.2.840.10008.1.2.4.8'):
            # dcmj2pnm loses the photometric interpretation of JPEG-LS frames: decompress first.
            plain = os.path.join(tmp, 'plain.dcm')
            subprocess.run(['dcmdjpls', path, plain], check=True, capture_output=True)
            path = plain
        for frame in range(1, frames + 1):
            target = os.path.join(tmp, f'{frame}.pnm')
            subprocess.run(['dcmj2pnm', '-q', '+F', str(frame), '+opw', path, target], check=True, capture_output=True)
            out.append(read_pnm_ascii(target))
    return np.stack(out)


def pearson(a, b):
    a = a.astype(np.float64).ravel()
    b = b.astype(np.float64).ravel()
    if a.size != b.size:
        return None
    a -= a.mean()
    b -= b.mean()
    denominator = np.sqrt((a * a).sum() * (b * b).sum())
    return float((a * b).sum() / denominator) if denominator > 0 else (1.0 if np.array_equal(a, b) else 0.0)


def describe(path, out_dir):
    try:
        return describe_unsafe(path, out_dir)
    except Exception as error:
        return {'file': os.path.basename(path), 'skip': f'unreadable: {type(error).__name__}: {str(error)[:80]}'}


def describe_unsafe(path, out_dir):
    name = os.path.basename(path)
    entry = {'file': name}
    try:
        ds = pydicom.dcmread(path)
    except Exception as error:  # not DICOM Part 10 (no meta): Orthanc would refuse it too
        return {**entry, 'skip': f'unreadable: {type(error).__name__}'}
    if 'PixelData' not in ds or 'TransferSyntaxUID' not in ds.file_meta:
        return {**entry, 'skip': 'no pixel data' if 'PixelData' not in ds else 'no transfer syntax in meta'}
    entry.update(
        transferSyntaxUid=str(ds.file_meta.TransferSyntaxUID),
        photometric=str(ds.get('PhotometricInterpretation', '')),
        rows=int(ds.Rows),
        columns=int(ds.Columns),
        samples=int(ds.get('SamplesPerPixel', 1)),
        bitsAllocated=int(ds.BitsAllocated),
        bitsStored=int(ds.get('BitsStored', ds.BitsAllocated)),
        pixelRepresentation=int(ds.get('PixelRepresentation', 0)),
        planarConfiguration=int(ds.get('PlanarConfiguration', 0)),
        frames=frame_count(ds),
    )
    reference = None
    try:
        reference = pydicom_decode(ds)
        entry['reference'] = 'pydicom'
    except Exception as error:
        entry['pydicomError'] = f'{type(error).__name__}: {str(error)[:120]}'
    try:
        by_dcmtk = dcmtk_decode(path, ds)
        if reference is None:
            reference = by_dcmtk
            entry['reference'] = 'dcmj2pnm'
        else:
            entry['pydicomVsDcmtk'] = pearson(reference, by_dcmtk)
    except Exception as error:
        entry['dcmtkError'] = f'{type(error).__name__}: {str(error)[:120]}'
    if reference is None:
        return {**entry, 'skip': 'neither pydicom nor dcm2pnm decodes it'}
    if reference.shape != (entry['frames'], entry['rows'], entry['columns'], entry['samples']):
        entry['samples'] = int(reference.shape[-1])
    # MONOCHROME1 shows low values bright: the display reference is the negative.
    entry['displaySign'] = -1 if entry['photometric'] == 'MONOCHROME1' else 1
    np.ascontiguousarray(reference, dtype='<f4').tofile(os.path.join(out_dir, f'{name}.f32'))
    return entry


def main():
    out_dir = sys.argv[1]
    for path in sys.argv[2:]:
        print(json.dumps(describe(path, out_dir)), flush=True)


if __name__ == '__main__':
    main()
