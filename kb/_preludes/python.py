"""Prelude for the python topic's examples (persona-kb runs it before each block; never shown).

It stands in for the application the examples are written against: a FastAPI
``app``, an in-memory SQLite database behind SQLAlchemy's async API (``db``,
``async_session_maker``, ``engine``), the ``User``/``Post`` models with a few rows,
and the helpers the fragments call (``get_db``, ``get_user_by_id``,
``hash_password``, ``oauth2_scheme``, …). Library names that a block uses are
left for the block to import, so a missing import is still reported.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
import aiosqlite  # noqa: F401 - imported here so the fork server preloads it
import email_validator  # noqa: F401 - EmailStr needs it; preloaded the same way
import sqlalchemy.dialects.sqlite.aiosqlite  # noqa: F401 - the dialect the engine loads
from datetime import datetime

from fastapi import FastAPI
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel, ConfigDict
from sqlalchemy import ForeignKey, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, selectinload
from sqlalchemy.pool import StaticPool

__all__ = ["select", "selectinload"]  # fragments such as the N+1 example use them unimported

app = FastAPI()
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")
SECRET_KEY = "not-a-secret-only-for-examples"


class _AppBase(DeclarativeBase):
    """The application's own models live on this base."""


class Base(DeclarativeBase):
    """A fresh, empty base for the models an example declares itself."""


class User(_AppBase):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(unique=True)
    password_hash: Mapped[str] = mapped_column(default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=datetime(2025, 1, 1))
    posts: Mapped[list[Post]] = relationship(back_populates="user")


class Post(_AppBase):
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(default="")
    content: Mapped[str] = mapped_column(default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    user: Mapped[User] = relationship(back_populates="posts")


class UserResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    is_active: bool = True


class PostCreate(BaseModel):
    title: str
    content: str = ""


class PostResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    user_id: int


engine = create_async_engine(
    "sqlite+aiosqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
)
async_session_maker = async_sessionmaker(engine, expire_on_commit=False)


async def _create_schema() -> AsyncSession:
    async with engine.begin() as conn:
        await conn.run_sync(_AppBase.metadata.create_all)
    session = async_session_maker()
    alice = User(email="alice@example.com", password_hash="x")
    session.add_all([alice, Post(title="Hello", user=alice), Post(title="Again", user=alice)])
    await session.commit()
    return session


db = await _create_schema()  # noqa: F704, PLE1142 - persona-kb runs preludes in an event loop
user_id = 1
user_model = UserResponse(id=1, email="alice@example.com")


async def get_db() -> AsyncIterator[AsyncSession]:
    async with async_session_maker() as session:
        yield session


async def get_user_by_id(db: AsyncSession, user_id: int) -> User | None:
    return await db.get(User, user_id)


def get_user() -> User | None:
    return User(id=2, email="bob@example.com")


def hash_password(password: str) -> str:
    return "hashed:" + password[::-1]


# Keep the library names this prelude needed out of the blocks' globals: a block that
# forgets an import must still fail. (``select`` and ``selectinload`` stay; see __all__.)
del FastAPI, OAuth2PasswordBearer, BaseModel, ConfigDict, ForeignKey, AsyncSession
del async_sessionmaker, create_async_engine, DeclarativeBase, Mapped, mapped_column
del relationship, StaticPool, AsyncIterator, datetime, aiosqlite, email_validator, sqlalchemy
