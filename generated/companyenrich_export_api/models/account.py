from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.account_capabilities import AccountCapabilities
    from ..models.account_credits import AccountCredits


T = TypeVar("T", bound="Account")


@_attrs_define
class Account:
    """GET `/me`. Every field is documented as required. There is no
    balance field: what remains is `credits.total - credits.used`.
    Unknown members are allowed (the newer schema adds
    `capabilities.searchTermLimit`).

        Attributes:
            user_id (str): The account's user id (a UUID in the vendor's example).
            credits_ (AccountCredits): Credits used so far and in total in the current plan period.
            capabilities (AccountCapabilities): What the account's plan allows.
    """

    user_id: str
    credits_: AccountCredits
    capabilities: AccountCapabilities
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        user_id = self.user_id

        credits_ = self.credits_.to_dict()

        capabilities = self.capabilities.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "userId": user_id,
                "credits": credits_,
                "capabilities": capabilities,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.account_capabilities import AccountCapabilities
        from ..models.account_credits import AccountCredits

        d = dict(src_dict)
        user_id = d.pop("userId")

        credits_ = AccountCredits.from_dict(d.pop("credits"))

        capabilities = AccountCapabilities.from_dict(d.pop("capabilities"))

        account = cls(
            user_id=user_id,
            credits_=credits_,
            capabilities=capabilities,
        )

        account.additional_properties = d
        return account

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
