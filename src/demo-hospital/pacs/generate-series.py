#!/usr/bin/python3
"""Writes the demo PACS's DICOM files from a plan made by seed-plan.ts.

Usage: generate-series.py PLAN.json OUTDIR

The plan lists studies; each series is either a synthetic stack ("ct-phantom", "mr-phantom")
drawn with numpy, or a real sample file ("sample") re-identified with new UIDs and the demo
patient's identity. Pixel data of samples is copied untouched, so their transfer syntax
(JPEG-LS, JPEG 2000, RLE...) is kept. Everything random is seeded from the plan: the same plan
gives the same files.

A sample that cannot be read, or whose pixel data is shorter than its header says, is not
written; it is listed under "failures" in OUTDIR/manifest.json with the file name and why,
and every other series is still written. Exit status 0 unless the plan itself is unusable
(status 2, message on stderr).
"""

import json
import os
import sys

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, PYDICOM_IMPLEMENTATION_UID

CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2"
MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4"
INSTITUTION = "Huizhen Demo Hospital"


class PlanError(Exception):
    pass


def require(obj, key, kind):
    value = obj.get(key)
    if not isinstance(value, kind):
        raise PlanError(f"plan: '{key}' missing or not {kind.__name__} in {json.dumps(obj)[:120]}")
    return value


# ---------------------------------------------------------------- identity and study attributes

def set_identity(ds, study, series, instance_number, sop_uid):
    """Patient / study / series / instance attributes shared by generated and sample images."""
    patient = study["patient"]
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds.PatientName = patient["name"]
    ds.PatientID = patient["id"]
    ds.IssuerOfPatientID = patient["issuer"]
    ds.PatientBirthDate = patient.get("birthDate", "")
    ds.PatientSex = patient.get("sex", "")
    other = patient.get("otherIds") or []
    if other:
        items = []
        for entry in other:
            item = Dataset()
            item.PatientID = entry["id"]
            item.IssuerOfPatientID = entry["issuer"]
            item.TypeOfPatientID = "TEXT"
            items.append(item)
        ds.OtherPatientIDsSequence = Sequence(items)
        # The retired flat form too: many PACS (and Orthanc's QIDO-RS) only show this one.
        ds.OtherPatientIDs = [entry["id"] for entry in other]
    else:
        for tag in ("OtherPatientIDsSequence", "OtherPatientIDs"):
            if tag in ds:
                delattr(ds, tag)
    for tag in ("OtherPatientNames", "PatientAddress", "PatientTelephoneNumbers"):
        if tag in ds:
            delattr(ds, tag)

    ds.StudyInstanceUID = study["studyUid"]
    ds.StudyDate = study["date"]
    ds.StudyTime = study["time"]
    ds.StudyID = study["studyId"]
    ds.AccessionNumber = study["accession"]
    ds.StudyDescription = study["description"]
    ds.RequestedProcedureDescription = study.get("procedure", study["description"])
    ds.ReferringPhysicianName = study.get("referrer", "")
    ds.InstitutionName = INSTITUTION
    ds.TimezoneOffsetFromUTC = "+0800"

    ds.SeriesInstanceUID = series["uid"]
    ds.SeriesNumber = series["number"]
    ds.SeriesDescription = series["description"]
    ds.Modality = series["modality"]
    ds.SeriesDate = study["date"]
    ds.SeriesTime = study["time"]
    if series.get("bodyPart"):
        ds.BodyPartExamined = series["bodyPart"]
    ds.FrameOfReferenceUID = series["frameOfReferenceUid"]

    ds.SOPInstanceUID = sop_uid
    ds.InstanceNumber = instance_number
    ds.ContentDate = study["date"]
    ds.ContentTime = study["time"]
    ds.file_meta.MediaStorageSOPInstanceUID = sop_uid
    ds.file_meta.ImplementationClassUID = PYDICOM_IMPLEMENTATION_UID


def new_file_dataset(sop_class):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    ds.SOPClassUID = sop_class
    return ds


# ---------------------------------------------------------------- synthetic phantoms

def ellipse(shape, cy, cx, ry, rx):
    yy, xx = np.ogrid[: shape[0], : shape[1]]
    return ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 <= 1.0


def chest_slice_hu(size, t, rng):
    """One axial slice of a chest phantom in Hounsfield units; t in [0, 1] runs feet to head."""
    n = size
    img = np.full((n, n), -1000.0)
    c = n / 2
    body = ellipse((n, n), c, c, n * 0.34, n * 0.44)
    img[body] = -80.0  # subcutaneous fat
    img[ellipse((n, n), c, c, n * 0.31, n * 0.41)] = 40.0  # muscle / soft tissue
    # Lungs widen towards the middle of the stack and shrink at apex and base.
    lung_scale = max(0.05, np.sin(np.pi * min(max(t * 1.1 - 0.05, 0.0), 1.0)))
    for side in (-1, 1):
        img[ellipse((n, n), c - n * 0.02, c + side * n * 0.19, n * 0.24 * lung_scale, n * 0.14 * lung_scale)] = -850.0
    # Heart in the lower half of the chest, aorta above it.
    if t < 0.6:
        img[ellipse((n, n), c + n * 0.04, c + n * 0.05, n * 0.12 * (1 - t), n * 0.14 * (1 - t))] = 45.0
    img[ellipse((n, n), c - n * 0.06, c - n * 0.03, n * 0.03, n * 0.03)] = 180.0 if t > 0.3 else 45.0
    # Vertebra and its spinal canal; sternum in front.
    img[ellipse((n, n), c + n * 0.23, c, n * 0.055, n * 0.05)] = 700.0
    img[ellipse((n, n), c + n * 0.23, c, n * 0.02, n * 0.02)] = 20.0
    img[ellipse((n, n), c - n * 0.30, c, n * 0.015, n * 0.05)] = 600.0
    img += rng.normal(0.0, 12.0, img.shape)
    return img


def brain_slice(size, t, rng):
    """One axial slice of a T2-like brain phantom (arbitrary MR units)."""
    n = size
    img = np.zeros((n, n))
    c = n / 2
    scale = max(0.1, np.sin(np.pi * (0.1 + 0.8 * t)))
    img[ellipse((n, n), c, c, n * 0.42 * scale, n * 0.35 * scale)] = 300.0  # scalp
    img[ellipse((n, n), c, c, n * 0.39 * scale, n * 0.32 * scale)] = 900.0  # grey matter
    img[ellipse((n, n), c, c, n * 0.30 * scale, n * 0.24 * scale)] = 650.0  # white matter
    for side in (-1, 1):
        img[ellipse((n, n), c - n * 0.03, c + side * n * 0.05, n * 0.09 * scale, n * 0.025 * scale)] = 1800.0  # ventricles (CSF)
    img += rng.normal(0.0, 20.0, img.shape)
    return np.clip(img, 0, 4000)


def write_stack(study, series, outdir, written):
    kind = series["kind"]
    count = require(series, "slices", int)
    size = require(series, "rows", int)
    spacing = float(series["pixelSpacing"])
    thickness = float(series["sliceThickness"])
    rng = np.random.default_rng(int(series["noiseSeed"]))
    for i in range(count):
        t = i / max(1, count - 1)
        z = float(series["firstZ"]) + i * thickness
        sop_uid = f"{series['uid']}.{i + 1}"
        if kind == "ct-phantom":
            ds = new_file_dataset(CT_IMAGE_STORAGE)
            hu = chest_slice_hu(size, t, rng)
            stored = np.clip(np.round(hu + 1024.0), 0, 4095).astype(np.uint16)
            ds.RescaleIntercept = "-1024"
            ds.RescaleSlope = "1"
            ds.RescaleType = "HU"
            ds.WindowCenter = ["40", "-600"]
            ds.WindowWidth = ["400", "1500"]
            ds.WindowCenterWidthExplanation = ["MEDIASTINUM", "LUNG"]
            ds.KVP = "120"
            ds.ConvolutionKernel = "STANDARD"
            ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
        else:
            ds = new_file_dataset(MR_IMAGE_STORAGE)
            stored = brain_slice(size, t, rng).astype(np.uint16)
            ds.WindowCenter = "900"
            ds.WindowWidth = "1800"
            ds.ScanningSequence = "SE"
            ds.SequenceVariant = "SK"
            ds.MRAcquisitionType = "2D"
            ds.EchoTime = "100"
            ds.RepetitionTime = "4000"
            ds.MagneticFieldStrength = "3"
            ds.ImageType = ["ORIGINAL", "PRIMARY", "M"]
        set_identity(ds, study, series, i + 1, sop_uid)
        ds.Manufacturer = "Huizhen Phantom"
        ds.PatientPosition = "HFS"
        ds.ImagePositionPatient = [f"{-spacing * size / 2:.3f}", f"{-spacing * size / 2:.3f}", f"{z:.3f}"]
        ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
        ds.SliceLocation = f"{z:.3f}"
        ds.SliceThickness = f"{thickness:g}"
        ds.SpacingBetweenSlices = f"{thickness:g}"
        ds.PixelSpacing = [f"{spacing:g}", f"{spacing:g}"]
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.Rows = size
        ds.Columns = size
        ds.BitsAllocated = 16
        ds.BitsStored = 12 if kind == "ct-phantom" else 16
        ds.HighBit = ds.BitsStored - 1
        ds.PixelRepresentation = 0
        ds.PixelData = stored.tobytes()
        path = os.path.join(outdir, f"{series['uid']}.{i + 1}.dcm")
        ds.save_as(path, write_like_original=False)
        written.append(os.path.basename(path))


# ---------------------------------------------------------------- real samples

def pixel_problem(ds):
    """Why a sample's pixel data cannot be right, or None."""
    if "PixelData" not in ds:
        return "it has no pixel data"
    data = ds.PixelData
    if ds.file_meta.TransferSyntaxUID.is_compressed:
        try:
            frames = list(pydicom.encaps.generate_pixel_data_frame(data, int(ds.get("NumberOfFrames", 1) or 1)))
        except Exception as error:  # noqa: BLE001 - any parse failure means broken encapsulation
            return f"its encapsulated pixel data cannot be parsed ({error})"
        return None if frames and all(len(f) > 0 for f in frames) else "its encapsulated pixel data holds no frames"
    expected = int(ds.Rows) * int(ds.Columns) * int(ds.get("NumberOfFrames", 1) or 1) * int(ds.get("SamplesPerPixel", 1)) * int(ds.BitsAllocated)
    expected = (expected + 7) // 8
    if len(data) < expected:
        return f"its pixel data is truncated ({len(data)} of {expected} bytes)"
    return None


def write_sample(study, series, outdir, written, failures):
    source = require(series, "file", str)
    try:
        ds = pydicom.dcmread(source)
        problem = pixel_problem(ds)
    except Exception as error:  # noqa: BLE001 - pydicom raises many types for broken files
        problem = f"it is not readable DICOM ({type(error).__name__}: {error})"
    if problem:
        failures.append({"file": source, "reason": problem})
        return
    # A sample may hold several frames; it stays one instance with the series' first instance UID.
    sop_uid = f"{series['uid']}.1"
    set_identity(ds, study, series, 1, sop_uid)
    path = os.path.join(outdir, f"{sop_uid}.dcm")
    ds.save_as(path, write_like_original=False)
    written.append(os.path.basename(path))


def main(argv):
    if len(argv) != 3:
        print("usage: generate-series.py PLAN.json OUTDIR", file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as handle:
            plan = json.load(handle)
        outdir = argv[2]
        os.makedirs(outdir, exist_ok=True)
        written, failures = [], []
        for study in require(plan, "studies", list):
            for series in require(study, "series", list):
                kind = require(series, "kind", str)
                if kind == "sample":
                    write_sample(study, series, outdir, written, failures)
                elif kind in ("ct-phantom", "mr-phantom"):
                    write_stack(study, series, outdir, written)
                else:
                    raise PlanError(f"plan: unknown series kind '{kind}'")
    except (PlanError, OSError, ValueError, KeyError) as error:
        print(f"generate-series: {error}", file=sys.stderr)
        return 2
    with open(os.path.join(outdir, "manifest.json"), "w", encoding="utf-8") as handle:
        json.dump({"files": written, "failures": failures}, handle, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
