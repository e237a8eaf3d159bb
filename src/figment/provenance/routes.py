from __future__ import annotations

from typing import Any

from fastapi import APIRouter, File, UploadFile

from figment.deps import ServicesDep, SessionDep
from figment.provenance import service

router = APIRouter(prefix="/api/provenance", tags=["provenance"])

# Uploads here are whole clips, larger than the API's usual body limit (see app.BodySizeLimit).
MAX_UPLOAD_BYTES = 64 * 1024 * 1024


@router.post("/check")
def check(session: SessionDep, services: ServicesDep, file: UploadFile = File(...)) -> dict[str, Any]:  # noqa: B008
    data = file.file.read(MAX_UPLOAD_BYTES + 1)
    result = service.check(session=session, credentials=services.credentials, data=data)
    return result.as_json()
